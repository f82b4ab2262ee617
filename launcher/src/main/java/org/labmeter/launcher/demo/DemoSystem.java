package org.labmeter.launcher.demo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.labmeter.agent.AgentMain;
import org.labmeter.agent.EdgeAgent;
import org.labmeter.agent.config.AgentConfig;
import org.labmeter.agent.config.AgentSettings;
import org.labmeter.agent.config.InstrumentConfig;
import org.labmeter.agent.config.MqttConfig;
import org.labmeter.collector.auth.CredentialHash;
import org.labmeter.launcher.server.CredentialFile;
import org.labmeter.launcher.server.LabMeterServer;
import org.labmeter.launcher.server.StoreLocation;
import org.labmeter.metering.auth.TokenStore;
import org.labmeter.metering.registry.AgentEnrollment;
import org.labmeter.metering.registry.Registry;
import org.labmeter.metering.usage.UsageService;
import org.labmeter.wire.AgentPublicKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole system in one process on embedded defaults: H2 registry, embedded QuestDB, the
 * collector's MQTT listener, the metering API and five simulated instruments with their agents.
 * Everything lives under one data folder, so a second start reuses keys, registry and telemetry.
 */
public final class DemoSystem implements AutoCloseable {
  private static final java.time.Duration DEMO_SWEEP_INTERVAL = java.time.Duration.ofSeconds(5);

  private static final Logger log = LoggerFactory.getLogger(DemoSystem.class);

  private final DemoOptions options;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final List<EdgeAgent> agents = new ArrayList<>();
  private LabMeterServer server;
  private Registry registry;
  private boolean firstStart;
  private String adminToken;

  private DemoSystem(DemoOptions options) {
    this.options = options;
  }

  /** Starts everything; on failure stops what was started and rethrows. */
  public static DemoSystem start(DemoOptions options) {
    DemoSystem system = new DemoSystem(options);
    try {
      system.startAll();
      return system;
    } catch (RuntimeException | Error e) {
      system.close();
      throw e;
    }
  }

  private void startAll() {
    Path data = options.dataDir().toAbsolutePath();
    try {
      Files.createDirectories(data);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the data folder " + data, e);
    }
    firstStart = !Files.exists(data.resolve("registry.mv.db"));
    server =
        LabMeterServer.start(
            new LabMeterServer.Options(
                "jdbc:h2:file:" + data.resolve("registry") + ";DB_CLOSE_ON_EXIT=FALSE",
                "sa",
                "",
                new StoreLocation.Embedded(
                    data.resolve("questdb"), options.storeHttpPort(), options.storePgPort()),
                options.bindHost(),
                options.apiPort(),
                options.mqttPort(),
                data.resolve("spool"),
                // The simulated agents replay their history beside live data, so batches arrive out
                // of order; sweep often, so the demo's coverage settles within seconds.
                b -> b.sweepInterval(DEMO_SWEEP_INTERVAL)));
    registry = server.registry();
    adminToken =
        DemoAdminToken.readOrCreate(
            data.resolve("admin-token"), new TokenStore(registry.dataSource()));
    List<String> secrets = enrollFleet(data);

    for (int i = 0; i < options.fleet().size(); i++) {
      DemoInstrument d = options.fleet().get(i);
      AgentConfig config =
          AgentConfig.of(
                  new AgentSettings(d.agentId(), agentDir(data, d)),
                  MqttConfig.of("tcp://127.0.0.1:" + server.mqttPort())
                      .withCredentials(d.agentId(), secrets.get(i)),
                  List.of(new InstrumentConfig(d.id(), options.sourceFor(d, firstStart))))
              .withBatching(options.batching());
      EdgeAgent agent = new EdgeAgent(config, server.metrics());
      agents.add(agent);
      agent.start().join();
    }
    log.info(
        "demo started ({} start, {} instruments)",
        firstStart ? "first" : "repeated",
        options.fleet().size());
  }

  /** Registers the facility, instruments and agents on the first start; returns the secrets. */
  private List<String> enrollFleet(Path data) {
    if (registry.facilities().isEmpty()) {
      registry.saveFacility(DemoFleet.FACILITY);
    }
    List<String> secrets = new ArrayList<>();
    Instant profileFrom = Instant.parse("2024-01-01T00:00:00Z");
    for (DemoInstrument d : options.fleet()) {
      if (registry.instrument(d.id()).isEmpty()) {
        registry.addInstrument(d.registryRecord(DemoFleet.FACILITY.id()), d.profile(), profileFrom);
      }
      Path dir = agentDir(data, d);
      AgentPublicKey key = AgentMain.keygen(dir);
      String secret = CredentialFile.readOrCreate(dir.resolve("credential"));
      secrets.add(secret);
      if (!registry.agentExists(d.agentId())) {
        registry.enrollAgent(
            new AgentEnrollment(
                d.agentId(),
                DemoFleet.FACILITY.id(),
                key,
                CredentialHash.create(secret.toCharArray()).encoded(),
                AgentEnrollment.Status.APPROVED,
                Set.of(d.id())));
        log.info("enrolled agent {} with key {}", d.agentId(), key.fingerprint());
      }
    }
    return secrets;
  }

  private static Path agentDir(Path data, DemoInstrument d) {
    return data.resolve("agents").resolve(d.agentId());
  }

  public boolean firstStart() {
    return firstStart;
  }

  /** The demo's administrator token (kept in the data folder's {@code admin-token} file). */
  public String adminToken() {
    return adminToken;
  }

  public int apiPort() {
    return server.apiPort();
  }

  public int mqttPort() {
    return server.mqttPort();
  }

  public String storeHttpUrl() {
    return server.storeHttpUrl();
  }

  public List<DemoInstrument> fleet() {
    return options.fleet();
  }

  public UsageService usageService() {
    return server.usageService();
  }

  /** Whether every agent has sent its history and keeps up with live sampling. */
  public boolean caughtUp() {
    return agents.stream().allMatch(a -> a.outboxPending() <= 2);
  }

  public List<EdgeAgent> agents() {
    return List.copyOf(agents);
  }

  /** Stops agents first (they flush into their outboxes), then ingest, API and stores. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    for (EdgeAgent agent : agents) {
      try {
        agent.stop().get(10, TimeUnit.SECONDS);
      } catch (Exception e) {
        log.warn("agent {} did not stop cleanly: {}", agent.agentId(), e.toString());
      }
    }
    if (server != null) {
      server.close();
    }
    log.info("demo stopped");
  }
}
