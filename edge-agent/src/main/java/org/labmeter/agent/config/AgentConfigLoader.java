package org.labmeter.agent.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.labmeter.agent.simulate.Pace;
import org.labmeter.agent.simulate.SimulatorKind;

/**
 * Reads an agent YAML file into an {@link AgentConfig}. This is the only place the agent reads its
 * configuration from disk (including {@code mqtt.passwordFile}). Relative paths in the file are
 * resolved against the directory of the file, so a configuration means the same from any working
 * directory.
 *
 * <p>Every problem is reported with the file, the field path and the allowed values, e.g. {@code
 * agent.yaml: instruments[1].source.type: 'opc-ua' is not supported here; allowed: simulated,
 * modbus, scpi, text-status}.
 */
public final class AgentConfigLoader {
  private static final YAMLMapper YAML =
      YAMLMapper.builder().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION).build();

  private AgentConfigLoader() {}

  /**
   * @throws ConfigFileException listing every problem found
   */
  public static AgentConfig load(Path file) {
    List<String> problems = new ArrayList<>();
    JsonNode root;
    try {
      root = YAML.readTree(Files.readString(file, StandardCharsets.UTF_8));
    } catch (JsonProcessingException e) {
      throw new ConfigFileException(
          file, List.of("not valid YAML: " + e.getOriginalMessage() + location(e)));
    } catch (IOException e) {
      throw new ConfigFileException(file, List.of("cannot read the file: " + e));
    }
    if (root == null || !root.isObject()) {
      throw new ConfigFileException(
          file, List.of("expected a mapping with agent, mqtt, batching, outbox, instruments"));
    }
    Path baseDir = file.toAbsolutePath().getParent();
    SectionReader top = new SectionReader(root, "", problems);
    top.allowOnly("agent", "mqtt", "batching", "outbox", "replay", "clock", "instruments");
    AgentSettings agent = top.section("agent", true).map(s -> agent(s, baseDir)).orElse(null);
    MqttConfig mqtt = top.section("mqtt", true).map(s -> mqtt(s, baseDir)).orElse(null);
    BatchingConfig batching =
        top.section("batching", false)
            .map(AgentConfigLoader::batching)
            .orElse(BatchingConfig.DEFAULT);
    OutboxConfig outbox =
        top.section("outbox", false).map(AgentConfigLoader::outbox).orElse(OutboxConfig.DEFAULT);
    ReplayConfig replay =
        top.section("replay", false).map(AgentConfigLoader::replay).orElse(ReplayConfig.DEFAULT);
    ClockConfig clock =
        top.section("clock", false).map(s -> clock(s, baseDir)).orElse(ClockConfig.NONE);
    List<InstrumentConfig> instruments = new ArrayList<>();
    boolean instrumentsComplete = true;
    for (SectionReader item : top.list("instruments")) {
      InstrumentConfig instrument = instrument(item, baseDir);
      if (instrument == null) {
        instrumentsComplete = false;
      } else {
        instruments.add(instrument);
      }
    }
    if (problems.isEmpty()
        && agent != null
        && mqtt != null
        && batching != null
        && outbox != null
        && replay != null
        && clock != null
        && instrumentsComplete) {
      try {
        return new AgentConfig(agent, mqtt, batching, outbox, replay, clock, instruments);
      } catch (InvalidConfigException e) {
        top.problem(e);
      }
    }
    if (problems.isEmpty()) {
      problems.add("incomplete configuration");
    }
    throw new ConfigFileException(file, problems);
  }

  private static AgentSettings agent(SectionReader s, Path baseDir) {
    s.allowOnly("id", "dataDir");
    Optional<String> id = s.requiredText("id", "agent-demo-1");
    Optional<String> dataDir = s.requiredText("dataDir", "./data/agent-demo-1");
    if (id.isEmpty() || dataDir.isEmpty()) {
      return null;
    }
    return build(s, () -> new AgentSettings(id.get(), baseDir.resolve(dataDir.get()).normalize()));
  }

  private static MqttConfig mqtt(SectionReader s, Path baseDir) {
    s.allowOnly(
        "uri", "username", "password", "passwordFile", "keepAliveSeconds", "maxInflight", "tls");
    Optional<String> uri =
        s.requiredText("uri", "tcp://127.0.0.1:1883 (allowed schemes: tcp, ssl)");
    Optional<String> username = s.text("username");
    Optional<String> password = s.text("password");
    Optional<String> passwordFile = s.text("passwordFile");
    long keepAlive =
        s.integer("keepAliveSeconds").orElse((long) MqttConfig.DEFAULT_KEEP_ALIVE_SECONDS);
    long maxInflight = s.integer("maxInflight").orElse((long) MqttConfig.DEFAULT_MAX_INFLIGHT);
    if (password.isPresent() && passwordFile.isPresent()) {
      s.problem("passwordFile", "set either password or passwordFile, not both");
      return null;
    }
    if (passwordFile.isPresent()) {
      Path path = baseDir.resolve(passwordFile.get());
      try {
        password = Optional.of(Files.readString(path, StandardCharsets.UTF_8).strip());
      } catch (IOException e) {
        s.problem("passwordFile", "cannot read " + path + ": " + e);
        return null;
      }
    }
    Optional<SectionReader> tlsSection = s.section("tls", false);
    TlsConfig tls = tlsSection.map(t -> tls(t, baseDir)).orElse(null);
    if (uri.isEmpty() || (tlsSection.isPresent() && tls == null)) {
      return null;
    }
    String pw = password.orElse(null);
    return build(
        s,
        () ->
            new MqttConfig(
                uri.get(),
                username.orElse(null),
                pw,
                clampToInt(keepAlive),
                clampToInt(maxInflight),
                tls));
  }

  /** Reads the section and then the files it names, so a bad file stops the agent at start. */
  private static TlsConfig tls(SectionReader s, Path baseDir) {
    s.allowOnly(
        "caFile", "certFile", "keyFile", "pkcs12File", "pkcs12PasswordFile", "verifyHostname");
    Path ca = s.text("caFile").map(baseDir::resolve).orElse(null);
    Path cert = s.text("certFile").map(baseDir::resolve).orElse(null);
    Path key = s.text("keyFile").map(baseDir::resolve).orElse(null);
    Path p12 = s.text("pkcs12File").map(baseDir::resolve).orElse(null);
    Optional<String> p12PasswordFile = s.text("pkcs12PasswordFile");
    boolean verify = s.bool("verifyHostname").orElse(true);
    String p12Password = null;
    if (p12PasswordFile.isPresent()) {
      Path path = baseDir.resolve(p12PasswordFile.get());
      try {
        p12Password = Files.readString(path, StandardCharsets.UTF_8).strip();
      } catch (IOException e) {
        s.problem("pkcs12PasswordFile", "cannot read " + path + ": " + e);
        return null;
      }
    }
    String password = p12Password;
    TlsConfig tls = build(s, () -> new TlsConfig(ca, cert, key, p12, password, verify));
    if (tls == null) {
      return null;
    }
    return build(
        s,
        () -> {
          TlsContextFactory.socketFactory(tls);
          return tls;
        });
  }

  private static ReplayConfig replay(SectionReader s) {
    s.allowOnly("batchesPerSecond", "maxInflight");
    long rate =
        s.integer("batchesPerSecond").orElse((long) ReplayConfig.DEFAULT.batchesPerSecond());
    long inflight = s.integer("maxInflight").orElse((long) ReplayConfig.DEFAULT.maxInflight());
    return build(s, () -> new ReplayConfig(clampToInt(rate), clampToInt(inflight)));
  }

  private static ClockConfig clock(SectionReader s, Path baseDir) {
    s.allowOnly("source", "servers", "intervalSeconds", "timeoutMillis", "chronyc");
    String allowed = "none, sntp, chrony";
    Optional<ClockConfig.Source> source =
        s.requiredText("source", allowed)
            .flatMap(
                name -> {
                  Optional<ClockConfig.Source> found = ClockConfig.Source.fromConfigName(name);
                  if (found.isEmpty()) {
                    s.problem(
                        "source", "'" + name + "' is not a clock source; allowed: " + allowed);
                  }
                  return found;
                });
    List<String> servers = s.textList("servers");
    long interval = s.integer("intervalSeconds").orElse((long) ClockConfig.NONE.intervalSeconds());
    long timeout = s.integer("timeoutMillis").orElse((long) ClockConfig.NONE.timeoutMillis());
    Path chronyc = s.text("chronyc").map(baseDir::resolve).orElse(ClockConfig.NONE.chronyc());
    if (source.isEmpty() || servers == null) {
      return null;
    }
    return build(
        s,
        () ->
            new ClockConfig(
                source.get(), servers, clampToInt(interval), clampToInt(timeout), chronyc));
  }

  private static BatchingConfig batching(SectionReader s) {
    s.allowOnly("maxSamples", "maxAgeMillis");
    long maxSamples = s.integer("maxSamples").orElse((long) BatchingConfig.DEFAULT.maxSamples());
    long maxAge = s.integer("maxAgeMillis").orElse(BatchingConfig.DEFAULT.maxAgeMillis());
    return build(s, () -> new BatchingConfig(clampToInt(maxSamples), maxAge));
  }

  private static OutboxConfig outbox(SectionReader s) {
    s.allowOnly("maxBytes");
    long maxBytes = s.integer("maxBytes").orElse(OutboxConfig.DEFAULT.maxBytes());
    return build(s, () -> new OutboxConfig(maxBytes));
  }

  private static InstrumentConfig instrument(SectionReader s, Path baseDir) {
    s.allowOnly("id", "source");
    Optional<String> id = s.requiredText("id", "ms-qtof-01");
    SourceConfig source = s.section("source", true).map(src -> source(src, baseDir)).orElse(null);
    if (id.isEmpty() || source == null) {
      return null;
    }
    return build(s, () -> new InstrumentConfig(id.get(), source));
  }

  private static SourceConfig source(SectionReader s, Path baseDir) {
    Optional<String> type = s.requiredText("type", "simulated");
    if (type.isEmpty()) {
      return null;
    }
    if (type.get().equals(ModbusSource.TYPE)) {
      return ModbusSourceReader.read(s, baseDir);
    }
    if (type.get().equals(ScpiSource.TYPE) || type.get().equals(TextStatusSource.TYPE)) {
      return SerialSourceReader.read(s, type.get());
    }
    if (!type.get().equals(SimulatedSource.TYPE)) {
      s.problem(
          "type",
          "'"
              + type.get()
              + "' is not supported here; allowed: "
              + String.join(
                  ", ",
                  SimulatedSource.TYPE,
                  ModbusSource.TYPE,
                  ScpiSource.TYPE,
                  TextStatusSource.TYPE));
      return null;
    }
    return simulated(s);
  }

  private static SourceConfig simulated(SectionReader s) {
    s.allowOnly("type", "kind", "seed", "periodMillis", "backfillSeconds", "pace", "window");
    String kinds = String.join(", ", SimulatorKind.configNames());
    Optional<SimulatorKind> kind =
        s.requiredText("kind", kinds)
            .flatMap(
                name -> {
                  Optional<SimulatorKind> found = SimulatorKind.fromConfigName(name);
                  if (found.isEmpty()) {
                    s.problem("kind", "'" + name + "' is not a simulator kind; allowed: " + kinds);
                  }
                  return found;
                });
    long seed = s.integer("seed").orElse(1L);
    long period = s.integer("periodMillis").orElse(1000L);
    Optional<Pace> pace = pace(s);
    Optional<SamplingMode> mode = mode(s);
    if (kind.isEmpty() || pace.isEmpty() || mode.isEmpty()) {
      return null;
    }
    return build(s, () -> new SimulatedSource(kind.get(), seed, period, pace.get(), mode.get()));
  }

  private static Optional<Pace> pace(SectionReader s) {
    Optional<String> name = s.text("pace");
    if (name.isEmpty()) {
      return Optional.of(Pace.NORMAL);
    }
    for (Pace pace : Pace.values()) {
      if (pace.configName().equals(name.get())) {
        return Optional.of(pace);
      }
    }
    s.problem("pace", "'" + name.get() + "' is not a pace; allowed: normal, compressed");
    return Optional.empty();
  }

  private static Optional<SamplingMode> mode(SectionReader s) {
    Optional<SectionReader> window = s.section("window", false);
    if (window.isEmpty()) {
      long backfill = s.integer("backfillSeconds").orElse(0L);
      return Optional.ofNullable(build(s, () -> new SamplingMode.Live(backfill)));
    }
    if (s.has("backfillSeconds")) {
      s.problem("backfillSeconds", "cannot be combined with window; allowed: one of the two");
      return Optional.empty();
    }
    SectionReader w = window.get();
    w.allowOnly("from", "to");
    Optional<Long> from = instant(w, "from");
    Optional<Long> to = instant(w, "to");
    if (from.isEmpty() || to.isEmpty()) {
      return Optional.empty();
    }
    return Optional.ofNullable(build(s, () -> new SamplingMode.Window(from.get(), to.get())));
  }

  private static Optional<Long> instant(SectionReader s, String key) {
    String example = "2026-03-01T08:00:00Z or milliseconds since 1970";
    if (!s.has(key)) {
      s.problem(key, "missing; required, e.g. " + example);
      return Optional.empty();
    }
    Optional<String> text = s.text(key);
    if (text.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(Long.parseLong(text.get()));
    } catch (NumberFormatException notMillis) {
      try {
        return Optional.of(Instant.parse(text.get()).toEpochMilli());
      } catch (DateTimeParseException e) {
        s.problem(key, "'" + text.get() + "' is not a time; allowed: " + example);
        return Optional.empty();
      }
    }
  }

  /** Runs a record constructor; its refusal becomes a problem under this section's path. */
  private static <T> T build(SectionReader s, Supplier<T> constructor) {
    try {
      return constructor.get();
    } catch (InvalidConfigException e) {
      s.problem(e);
      return null;
    }
  }

  private static int clampToInt(long value) {
    return (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, value));
  }

  private static String location(JsonProcessingException e) {
    return e.getLocation() == null
        ? ""
        : " (line "
            + e.getLocation().getLineNr()
            + ", column "
            + e.getLocation().getColumnNr()
            + ")";
  }
}
