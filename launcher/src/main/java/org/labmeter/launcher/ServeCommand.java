package org.labmeter.launcher;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.labmeter.launcher.server.LabMeterServer;
import org.labmeter.launcher.server.StoreLocation;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = {
      "Runs one LabMeter node: the collector's MQTT listener and the metering API, on the given",
      "relational store and QuestDB (embedded in this process, or external). Agents are enrolled",
      "with 'labmeter registry'. SIGTERM or Ctrl-C stops it cleanly."
    })
final class ServeCommand implements Callable<Integer> {
  @Mixin DbOptions db;

  @Option(
      names = "--host",
      defaultValue = "127.0.0.1",
      description = "interface to bind (default: ${DEFAULT-VALUE})")
  String host;

  @Option(names = "--api-port", defaultValue = "8080", description = "(default: ${DEFAULT-VALUE})")
  int apiPort;

  @Option(names = "--mqtt-port", defaultValue = "1883", description = "(default: ${DEFAULT-VALUE})")
  int mqttPort;

  @Option(
      names = "--spool-dir",
      description =
          "where the collector keeps batches (fsync'd) while the store is down; without it,"
              + " PUBACK waits until the store is back")
  Path spoolDir;

  @Option(
      names = "--write-behind",
      description =
          "with --spool-dir: acknowledge each batch once it is fsync'd to the spool and write the"
              + " store behind it in large groups (PUBACK latency without the store's commit; the"
              + " embedded store is then written over line protocol, otherwise in-process)")
  boolean writeBehind;

  @Option(
      names = "--bridge-uri",
      description =
          "also take agents' telemetry from this broker (tcp://host:port) through a shared"
              + " subscription, so that several nodes split one fleet")
  String bridgeUri;

  @Option(
      names = "--bridge-client-id",
      description =
          "this node's client id at the broker; keep it across restarts (default: labmeter-<host>)")
  String bridgeClientId;

  @Option(
      names = "--bridge-group",
      defaultValue = "labmeter",
      description =
          "shared-subscription group of the fleet's nodes (default: ${DEFAULT-VALUE}); 'none' for"
              + " a single node subscribing without sharing")
  String bridgeGroup;

  @Option(
      names = "--api-tls-cert",
      description = "serve the API over HTTPS with this PEM certificate chain (with --api-tls-key)")
  Path tlsCert;

  @Option(names = "--api-tls-key", description = "the PEM (PKCS#8) private key of --api-tls-cert")
  Path tlsKey;

  @Option(
      names = "--api-tls-pkcs12",
      description = "serve the API over HTTPS with this PKCS#12 key store instead")
  Path tlsPkcs12;

  @Option(
      names = "--api-tls-password-env",
      description = "environment variable holding the password of --api-tls-pkcs12")
  String tlsPasswordEnv;

  @ArgGroup(exclusive = true, multiplicity = "1")
  Store store;

  static final class Store {
    @Option(names = "--questdb-dir", description = "run QuestDB in this process with its data here")
    Path embeddedDir;

    @ArgGroup(exclusive = false)
    External external;
  }

  static final class External {
    @Option(names = "--questdb-http", required = true, description = "e.g. http://questdb:9000")
    String httpUrl;

    @Option(
        names = "--questdb-pg",
        required = true,
        description = "e.g. jdbc:postgresql://questdb:8812/qdb")
    String pgUrl;

    @Option(names = "--questdb-user", defaultValue = "admin")
    String user;

    @Option(
        names = "--questdb-password-env",
        description = "environment variable with the PG-wire password")
    String passwordEnv;
  }

  @Override
  public Integer call() throws InterruptedException {
    if (writeBehind && spoolDir == null) {
      System.err.println("--write-behind needs --spool-dir (the spool is where batches are kept)");
      return 2;
    }
    StoreLocation location;
    if (store.embeddedDir != null) {
      location = new StoreLocation.Embedded(store.embeddedDir, 9000, 8812);
    } else {
      String password =
          store.external.passwordEnv == null ? "quest" : System.getenv(store.external.passwordEnv);
      if (password == null) {
        System.err.println("--questdb-password-env: " + store.external.passwordEnv + " is not set");
        return 2;
      }
      location =
          new StoreLocation.External(
              store.external.httpUrl, store.external.pgUrl, store.external.user, password);
    }
    LabMeterServer server =
        LabMeterServer.start(
            new LabMeterServer.Options(
                db.url,
                db.user,
                db.password(),
                location,
                host,
                apiPort,
                mqttPort,
                spoolDir,
                b -> {
                  if (writeBehind) {
                    b.spoolWriteBehind(true);
                  }
                  if (bridgeUri != null) {
                    b.bridgeUri(bridgeUri)
                        .bridgeClientId(clientId())
                        .bridgeGroup("none".equals(bridgeGroup) ? null : bridgeGroup);
                  }
                },
                this::apiTls));
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  server.close();
                  stopped.countDown();
                },
                "serve-shutdown"));
    System.out.printf(
        "LabMeter node running: API %s://%s:%d/  MQTT tcp://%s:%d  store %s%n",
        tlsCert != null || tlsPkcs12 != null ? "https" : "http",
        host,
        server.apiPort(),
        host,
        server.mqttPort(),
        server.storeHttpUrl());
    stopped.await();
    return 0;
  }

  /** The API's TLS settings; the API's config refuses a half-given pair, naming the field. */
  private void apiTls(org.labmeter.metering.config.ApiConfig.Builder b) {
    if (tlsCert != null || tlsKey != null) {
      b.pem(tlsCert, tlsKey);
    }
    if (tlsPkcs12 != null) {
      String password = tlsPasswordEnv == null ? null : System.getenv(tlsPasswordEnv);
      if (tlsPasswordEnv != null && password == null) {
        throw new IllegalArgumentException(
            "--api-tls-password-env: " + tlsPasswordEnv + " is not set");
      }
      b.pkcs12(tlsPkcs12, password == null ? "" : password);
    }
  }

  private String clientId() {
    if (bridgeClientId != null) {
      return bridgeClientId;
    }
    try {
      String host = InetAddress.getLocalHost().getHostName().replaceAll("[^A-Za-z0-9._-]", "-");
      return ("labmeter-" + host).substring(0, Math.min(64, 9 + host.length()));
    } catch (UnknownHostException e) {
      return "labmeter-node";
    }
  }
}
