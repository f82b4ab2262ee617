package org.labmeter.launcher.demo;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
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
import org.labmeter.collector.Collector;
import org.labmeter.collector.auth.CredentialHash;
import org.labmeter.collector.auth.JdbcAgentDirectory;
import org.labmeter.collector.config.CollectorConfig;
import org.labmeter.collector.store.EmbeddedQuestDb;
import org.labmeter.collector.verify.JdbcChainHeads;
import org.labmeter.metering.config.ApiConfig;
import org.labmeter.metering.http.MeteringApi;
import org.labmeter.metering.registry.AgentEnrollment;
import org.labmeter.metering.registry.Registry;
import org.labmeter.metering.registry.RelationalStore;
import org.labmeter.metering.store.QuestDbSampleReader;
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
  private static final Logger log = LoggerFactory.getLogger(DemoSystem.class);

  private final DemoOptions options;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final PrometheusMeterRegistry metrics =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final List<EdgeAgent> agents = new ArrayList<>();
  private RelationalStore relational;
  private EmbeddedQuestDb questDb;
  private Collector collector;
  private QuestDbSampleReader reader;
  private MeteringApi api;
  private Registry registry;
  private boolean firstStart;

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
    relational =
        RelationalStore.open(
            "jdbc:h2:file:" + data.resolve("registry") + ";DB_CLOSE_ON_EXIT=FALSE", "sa", "");
    registry = new Registry(relational.dataSource());
    questDb =
        EmbeddedQuestDb.start(
            data.resolve("questdb"), options.storeHttpPort(), options.storePgPort());
    List<String> secrets = enrollFleet(data);

    CollectorConfig collectorConfig =
        CollectorConfig.create(
            b ->
                b.mqttHost(options.bindHost())
                    .mqttPort(options.mqttPort())
                    .storeUrl(questDb.httpUrl()));
    collector =
        new Collector(
            collectorConfig,
            new JdbcAgentDirectory(relational.dataSource()),
            new JdbcChainHeads(relational.dataSource()),
            metrics);
    collector.start().join();

    reader = new QuestDbSampleReader(questDb.pgJdbcUrl(), "admin", "quest");
    api =
        new MeteringApi(
            ApiConfig.create(b -> b.host(options.bindHost()).port(options.apiPort())),
            registry,
            reader,
            metrics);
    api.start().join();

    for (int i = 0; i < options.fleet().size(); i++) {
      DemoInstrument d = options.fleet().get(i);
      AgentConfig config =
          AgentConfig.of(
                  new AgentSettings(d.agentId(), agentDir(data, d)),
                  MqttConfig.of("tcp://127.0.0.1:" + collector.mqttPort())
                      .withCredentials(d.agentId(), secrets.get(i)),
                  List.of(new InstrumentConfig(d.id(), options.sourceFor(d, firstStart))))
              .withBatching(options.batching());
      EdgeAgent agent = new EdgeAgent(config, metrics);
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
      String secret = readOrCreateSecret(dir.resolve("credential"));
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

  private static String readOrCreateSecret(Path file) {
    try {
      if (Files.exists(file)) {
        return Files.readString(file, StandardCharsets.US_ASCII).trim();
      }
      byte[] raw = new byte[24];
      new SecureRandom().nextBytes(raw);
      String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
      Files.createDirectories(file.getParent());
      Files.createFile(
          file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.writeString(file, secret, StandardCharsets.US_ASCII);
      return secret;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read or create the agent credential " + file, e);
    }
  }

  public boolean firstStart() {
    return firstStart;
  }

  public int apiPort() {
    return api.port();
  }

  public int mqttPort() {
    return collector.mqttPort();
  }

  public String storeHttpUrl() {
    return questDb.httpUrl();
  }

  public List<DemoInstrument> fleet() {
    return options.fleet();
  }

  public UsageService usageService() {
    return new UsageService(registry, reader);
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
    if (collector != null) {
      collector.stop();
    }
    if (api != null) {
      api.stop();
    }
    if (reader != null) {
      reader.close();
    }
    if (questDb != null) {
      questDb.close();
    }
    if (relational != null) {
      relational.close();
    }
    log.info("demo stopped");
  }
}
