package org.labmeter.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.labmeter.agent.config.AgentConfig;
import org.labmeter.agent.config.AgentConfigLoader;
import org.labmeter.agent.config.AgentSettings;
import org.labmeter.agent.config.BatchingConfig;
import org.labmeter.agent.config.ConfigFileException;
import org.labmeter.agent.config.InstrumentConfig;
import org.labmeter.agent.config.MqttConfig;
import org.labmeter.agent.config.OutboxConfig;
import org.labmeter.agent.config.SimulatedSource;
import org.labmeter.agent.config.TlsConfig;
import org.labmeter.agent.simulate.SimulatorKind;

/**
 * The agent against Mosquitto with a TLS listener that requires a client certificate. The
 * certificates are made with openssl when the test starts: a CA, a broker certificate for {@code
 * localhost} only, and an agent certificate as a PEM pair and as PKCS#12.
 */
class MosquittoTlsTest {
  private static final long T0 = Instant.parse("2026-03-02T08:00:00Z").toEpochMilli();

  @TempDir static Path pki;
  private static Process broker;
  private static int port;
  @TempDir Path dir;
  private EdgeAgent agent;

  @BeforeAll
  static void startBroker() throws Exception {
    openssl(
        "req",
        "-x509",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:P-256",
        "-nodes",
        "-keyout",
        "ca.key",
        "-out",
        "ca.pem",
        "-days",
        "2",
        "-subj",
        "/CN=LabMeter test CA");
    issue("broker", "/CN=localhost", "subjectAltName=DNS:localhost");
    issue("agent", "/CN=agent-tls-1", "extendedKeyUsage=clientAuth");
    openssl(
        "pkcs12",
        "-export",
        "-in",
        "agent.pem",
        "-inkey",
        "agent.key",
        "-out",
        "agent.p12",
        "-passout",
        "pass:s3cret");
    Files.writeString(pki.resolve("agent.p12.password"), "s3cret\n");
    port = MosquittoBroker.freePort();
    Files.writeString(
        pki.resolve("mosquitto.conf"),
        "listener "
            + port
            + " 127.0.0.1\n"
            + "allow_anonymous true\n"
            + "cafile "
            + pki.resolve("ca.pem")
            + "\n"
            + "certfile "
            + pki.resolve("broker.pem")
            + "\n"
            + "keyfile "
            + pki.resolve("broker.key")
            + "\n"
            + "require_certificate true\n"
            + "user "
            + System.getProperty("user.name")
            + "\n");
    broker =
        new ProcessBuilder(
                MosquittoBroker.BINARY.toString(), "-c", pki.resolve("mosquitto.conf").toString())
            .redirectErrorStream(true)
            .redirectOutput(pki.resolve("mosquitto.out").toFile())
            .start();
    await("mosquitto TLS listener")
        .atMost(Duration.ofSeconds(15))
        .until(
            () -> {
              assertThat(broker.isAlive()).as("mosquitto running").isTrue();
              try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return true;
              } catch (IOException e) {
                return false;
              }
            });
  }

  @AfterAll
  static void stopBroker() throws InterruptedException {
    if (broker != null) {
      broker.destroy();
      broker.waitFor(10, TimeUnit.SECONDS);
    }
  }

  @AfterEach
  void stopAgent() {
    if (agent != null) {
      agent.stop().join();
    }
  }

  @Test
  void aPemClientCertificateGetsItsBatchesAcknowledged() {
    TlsConfig tls =
        TlsConfig.trusting(pki.resolve("ca.pem"))
            .withClientPem(pki.resolve("agent.pem"), pki.resolve("agent.key"));
    runAndExpectAcks("ssl://localhost:" + port, tls);
  }

  @Test
  void aPkcs12ClientCertificateWorksToo() {
    TlsConfig tls =
        TlsConfig.trusting(pki.resolve("ca.pem"))
            .withClientPkcs12(pki.resolve("agent.p12"), "s3cret");
    runAndExpectAcks("ssl://localhost:" + port, tls);
  }

  @Test
  void theHostNameIsCheckedUnlessTurnedOff() {
    // the broker's certificate names localhost, not 127.0.0.1
    TlsConfig tls =
        TlsConfig.trusting(pki.resolve("ca.pem"))
            .withClientPem(pki.resolve("agent.pem"), pki.resolve("agent.key"));
    agent = new EdgeAgent(config("ssl://127.0.0.1:" + port, tls), new SimpleMeterRegistry());
    agent.start().join();
    await()
        .during(Duration.ofSeconds(2))
        .atMost(Duration.ofSeconds(4))
        .until(() -> !agent.connected() && agent.batchesAcked() == 0);
    agent.stop().join();
    agent = null;

    runAndExpectAcks("ssl://127.0.0.1:" + port, tls.withVerifyHostname(false));
  }

  @Test
  void badTlsFilesStopTheAgentAtStartNamingTheField() throws IOException {
    Path config = dir.resolve("agent.yaml");
    Files.writeString(pki.resolve("not-a-key.pem"), "-----BEGIN RSA PRIVATE KEY-----\nAAAA\n");
    Files.writeString(
        config,
        "agent: {id: agent-tls-1, dataDir: ./data}\n"
            + "mqtt:\n"
            + "  uri: ssl://localhost:"
            + port
            + "\n"
            + "  tls:\n"
            + "    caFile: "
            + pki.resolve("missing-ca.pem")
            + "\n"
            + "instruments: [{id: nmr-1, source: {type: simulated, kind: nmr}}]\n");
    assertThatThrownBy(() -> AgentConfigLoader.load(config))
        .isInstanceOf(ConfigFileException.class)
        .hasMessageContaining("mqtt.tls.caFile: cannot read " + pki.resolve("missing-ca.pem"));

    Files.writeString(
        config,
        "agent: {id: agent-tls-1, dataDir: ./data}\n"
            + "mqtt:\n"
            + "  uri: ssl://localhost:"
            + port
            + "\n"
            + "  tls:\n"
            + "    caFile: "
            + pki.resolve("ca.pem")
            + "\n"
            + "    certFile: "
            + pki.resolve("agent.pem")
            + "\n"
            + "    keyFile: "
            + pki.resolve("not-a-key.pem")
            + "\n"
            + "instruments: [{id: nmr-1, source: {type: simulated, kind: nmr}}]\n");
    assertThatThrownBy(() -> AgentConfigLoader.load(config))
        .hasMessageContaining("mqtt.tls.keyFile:")
        .hasMessageContaining("openssl pkcs8 -topk8");

    Files.writeString(
        config,
        "agent: {id: agent-tls-1, dataDir: ./data}\n"
            + "mqtt:\n"
            + "  uri: tcp://localhost:"
            + port
            + "\n"
            + "  tls: {caFile: "
            + pki.resolve("ca.pem")
            + "}\n"
            + "instruments: [{id: nmr-1, source: {type: simulated, kind: nmr}}]\n");
    assertThatThrownBy(() -> AgentConfigLoader.load(config))
        .hasMessageContaining("mqtt.tls: is set but uri");
  }

  private void runAndExpectAcks(String uri, TlsConfig tls) {
    agent = new EdgeAgent(config(uri, tls), new SimpleMeterRegistry());
    agent.start().join();
    await().atMost(Duration.ofSeconds(30)).until(() -> agent.batchesAcked() == 3);
  }

  private AgentConfig config(String uri, TlsConfig tls) {
    return new AgentConfig(
        new AgentSettings(
            "agent-tls-1", dir.resolve("agent-" + uri.hashCode() + tls.verifyHostname())),
        MqttConfig.of(uri).withTls(tls),
        new BatchingConfig(10, 60_000),
        OutboxConfig.DEFAULT,
        List.of(
            new InstrumentConfig(
                "nmr-1", SimulatedSource.window(SimulatorKind.NMR, 3, 1000, T0, T0 + 30_000))));
  }

  private static void issue(String name, String subject, String extension) throws Exception {
    openssl(
        "req",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:P-256",
        "-nodes",
        "-keyout",
        name + ".key",
        "-out",
        name + ".csr",
        "-subj",
        subject);
    Files.writeString(pki.resolve(name + ".ext"), extension + "\n");
    openssl(
        "x509",
        "-req",
        "-in",
        name + ".csr",
        "-CA",
        "ca.pem",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-out",
        name + ".pem",
        "-days",
        "2",
        "-extfile",
        name + ".ext");
  }

  private static void openssl(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("openssl"));
    command.addAll(List.of(args));
    Process p =
        new ProcessBuilder(command).directory(pki.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor()).as("openssl " + String.join(" ", args) + ": " + out).isZero();
  }
}
