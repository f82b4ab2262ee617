package org.labmeter.agent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.labmeter.agent.simulate.Pace;
import org.labmeter.agent.simulate.SimulatorKind;

class AgentConfigLoaderTest {
  @TempDir Path dir;

  private static final String GOOD =
      """
      agent:
        id: agent-demo-1
        dataDir: ./data/agent-demo-1
      mqtt:
        uri: tcp://127.0.0.1:1883
        password: s3cret
        keepAliveSeconds: 20
        maxInflight: 8
      batching:
        maxSamples: 50
        maxAgeMillis: 2000
      instruments:
        - id: ms-qtof-01
          source:
            type: simulated
            kind: mass-spectrometer
            seed: 7
            periodMillis: 500
            backfillSeconds: 60
        - id: nmr-600
          source:
            type: simulated
            kind: nmr
            pace: compressed
            window:
              from: 2026-03-01T08:00:00Z
              to: 2026-03-01T09:00:00Z
      """;

  @Test
  void aGoodFileLoadsWithDefaultsFilledIn() throws IOException {
    AgentConfig config = AgentConfigLoader.load(write("agent.yaml", GOOD));

    assertThat(config.agent().id()).isEqualTo("agent-demo-1");
    assertThat(config.agent().dataDir()).isEqualTo(dir.resolve("data/agent-demo-1"));
    assertThat(config.mqtt())
        .isEqualTo(new MqttConfig("tcp://127.0.0.1:1883", null, "s3cret", 20, 8));
    assertThat(config.mqtt().usernameOr("agent-demo-1")).isEqualTo("agent-demo-1");
    assertThat(config.mqtt().toString()).doesNotContain("s3cret");
    assertThat(config.batching()).isEqualTo(new BatchingConfig(50, 2000));
    assertThat(config.outbox()).isEqualTo(OutboxConfig.DEFAULT);
    assertThat(config.instruments())
        .containsExactly(
            new InstrumentConfig(
                "ms-qtof-01",
                new SimulatedSource(
                    SimulatorKind.MASS_SPECTROMETER,
                    7,
                    500,
                    Pace.NORMAL,
                    new SamplingMode.Live(60))),
            new InstrumentConfig(
                "nmr-600",
                new SimulatedSource(
                    SimulatorKind.NMR,
                    1,
                    1000,
                    Pace.COMPRESSED,
                    new SamplingMode.Window(
                        Instant.parse("2026-03-01T08:00:00Z").toEpochMilli(),
                        Instant.parse("2026-03-01T09:00:00Z").toEpochMilli()))));
  }

  @Test
  void theShippedSampleConfigLoads() {
    AgentConfig config = AgentConfigLoader.load(Path.of("config/agent-simulated.yaml"));

    assertThat(config.agent().id()).isEqualTo("agent-demo-1");
    assertThat(config.instruments()).extracting(InstrumentConfig::id).contains("ms-qtof-01");
  }

  @Test
  void passwordFileIsReadRelativeToTheConfig() throws IOException {
    write("agent.password", "from-file\n");
    Path file =
        write(
            "agent.yaml",
            GOOD.replace("password: s3cret", "passwordFile: agent.password")
                .replace("keepAliveSeconds: 20", "username: lab-7"));

    MqttConfig mqtt = AgentConfigLoader.load(file).mqtt();

    assertThat(mqtt.password()).isEqualTo("from-file");
    assertThat(mqtt.usernameOr("agent-demo-1")).isEqualTo("lab-7");
  }

  @Test
  void unknownSourceTypeNamesFileFieldAndAllowedValues() throws IOException {
    Path file =
        write(
            "agent.yaml",
            GOOD.replace("      type: simulated\n      kind: nmr", "      type: opc-ua"));

    assertThatThrownBy(() -> AgentConfigLoader.load(file))
        .isInstanceOf(ConfigFileException.class)
        .hasMessage(
            file
                + ": instruments[1].source.type: 'opc-ua' is not supported here; allowed: simulated,"
                + " modbus, scpi, text-status");
  }

  @Test
  void badAgentIdNamesTheAlphabet() throws IOException {
    Path file = write("agent.yaml", GOOD.replace("id: agent-demo-1", "id: agent demo/1"));

    assertThatThrownBy(() -> AgentConfigLoader.load(file))
        .hasMessage(
            file
                + ": agent.id: 'agent demo/1' is not a valid id; allowed: 1..64 characters of"
                + " [A-Za-z0-9._-]");
  }

  @Test
  void replayAndClockSectionsLoad() throws IOException {
    Path file =
        write(
            "agent.yaml",
            GOOD.replace(
                "instruments:",
                "replay: {batchesPerSecond: 20, maxInflight: 4}\n"
                    + "clock: {source: sntp, servers: [ntp.example.org, '10.0.0.1:1123'],"
                    + " intervalSeconds: 30}\n"
                    + "instruments:"));

    AgentConfig config = AgentConfigLoader.load(file);

    assertThat(config.replay()).isEqualTo(new ReplayConfig(20, 4));
    assertThat(config.clock().source()).isEqualTo(ClockConfig.Source.SNTP);
    assertThat(config.clock().servers()).containsExactly("ntp.example.org", "10.0.0.1:1123");
    assertThat(ClockConfig.port(config.clock().servers().get(1))).isEqualTo(1123);
    assertThat(config.clock().intervalSeconds()).isEqualTo(30);
    assertThat(AgentConfigLoader.load(Path.of("config/agent-modbus.yaml")).clock().source())
        .isEqualTo(ClockConfig.Source.CHRONY);
  }

  @Test
  void badClockAndReplayValuesNameTheField() throws IOException {
    Path file =
        write(
            "agent.yaml",
            GOOD.replace(
                "instruments:", "replay: {maxInflight: 0}\nclock: {source: gps}\ninstruments:"));
    assertThatThrownBy(() -> AgentConfigLoader.load(file))
        .hasMessageContaining("replay.maxInflight: 0 is out of range; allowed: 1..1000")
        .hasMessageContaining(
            "clock.source: 'gps' is not a clock source; allowed: none, sntp, chrony");

    Path noServers =
        write("agent2.yaml", GOOD.replace("instruments:", "clock: {source: sntp}\ninstruments:"));
    assertThatThrownBy(() -> AgentConfigLoader.load(noServers))
        .hasMessageContaining("clock.servers: is empty; source sntp needs at least one");
  }

  @Test
  void negativePeriodNamesTheRange() throws IOException {
    Path file = write("agent.yaml", GOOD.replace("periodMillis: 500", "periodMillis: -5"));

    assertThatThrownBy(() -> AgentConfigLoader.load(file))
        .hasMessage(
            file
                + ": instruments[0].source.periodMillis: -5 is out of range; allowed:"
                + " 10..3600000");
  }

  @Test
  void missingMqttUriSaysWhatIsRequired() throws IOException {
    Path file = write("agent.yaml", GOOD.replace("  uri: tcp://127.0.0.1:1883\n", ""));

    assertThatThrownBy(() -> AgentConfigLoader.load(file))
        .hasMessage(
            file
                + ": mqtt.uri: missing; required, e.g. tcp://127.0.0.1:1883 (allowed schemes: tcp,"
                + " ssl)");
  }

  @Test
  void zeroMaxSamplesNamesTheRange() throws IOException {
    Path file = write("agent.yaml", GOOD.replace("maxSamples: 50", "maxSamples: 0"));

    assertThatThrownBy(() -> AgentConfigLoader.load(file))
        .hasMessage(file + ": batching.maxSamples: 0 is out of range; allowed: 1..10000");
  }

  @Test
  void everyProblemIsReportedAtOnce() throws IOException {
    Path file =
        write(
            "agent.yaml",
            GOOD.replace("maxSamples: 50", "maxSample: 50")
                .replace("kind: nmr", "kind: centrifuge")
                .replace("uri: tcp://127.0.0.1:1883", "uri: http://127.0.0.1:1883")
                .replace("seed: 7", "seed: seven"));

    assertThatThrownBy(() -> AgentConfigLoader.load(file))
        .isInstanceOfSatisfying(
            ConfigFileException.class,
            e ->
                assertThat(e.problems())
                    .containsExactlyInAnyOrder(
                        "batching.maxSample: unknown field; allowed: maxSamples, maxAgeMillis",
                        "instruments[1].source.kind: 'centrifuge' is not a simulator kind;"
                            + " allowed: mass-spectrometer, nmr, electron-microscope,"
                            + " x-ray-diffractometer, icp-ms",
                        "mqtt.uri: 'http://127.0.0.1:1883' is not a broker address; allowed:"
                            + " tcp://host:port or ssl://host:port",
                        "instruments[0].source.seed: expected a whole number, got 'seven'"));
  }

  @Test
  void duplicateInstrumentIdsAreRefused() throws IOException {
    Path file = write("agent.yaml", GOOD.replace("id: nmr-600", "id: ms-qtof-01"));

    assertThatThrownBy(() -> AgentConfigLoader.load(file))
        .hasMessage(
            file
                + ": instruments[1].id: 'ms-qtof-01' is used by instruments[0] already; ids must"
                + " be unique");
  }

  @Test
  void windowAndBackfillExcludeEachOther() throws IOException {
    Path file =
        write(
            "agent.yaml",
            GOOD.replace("pace: compressed", "pace: compressed\n      backfillSeconds: 5"));

    assertThatThrownBy(() -> AgentConfigLoader.load(file))
        .hasMessage(
            file
                + ": instruments[1].source.backfillSeconds: cannot be combined with window;"
                + " allowed: one of the two");
  }

  @Test
  void notYamlSaysWhere() throws IOException {
    Path file = write("agent.yaml", "agent: [unclosed\n");

    assertThatThrownBy(() -> AgentConfigLoader.load(file))
        .hasMessageStartingWith(file + ": not valid YAML:")
        .hasMessageContaining("line");
  }

  @Test
  void recordsRefuseBadValuesInCodeToo() {
    assertThatThrownBy(() -> new BatchingConfig(0, 5000))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessage("maxSamples: 0 is out of range; allowed: 1..10000");
    assertThatThrownBy(() -> SimulatedSource.live(SimulatorKind.NMR, 1, 1000, -1))
        .hasMessage("backfillSeconds: -1 is out of range; allowed: 0..2678400");
  }

  private Path write(String name, String content) throws IOException {
    Path file = dir.resolve(name);
    Files.writeString(file, content);
    return file;
  }
}
