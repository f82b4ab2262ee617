package org.labmeter.collector.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.labmeter.collector.ingest.GroupCommitLimits;
import org.labmeter.collector.mqtt.ListenerSettings;
import org.labmeter.collector.spool.SpoolSettings;
import org.labmeter.wire.BatchCodec;

class CollectorConfigTest {
  @TempDir Path dir;

  @Test
  void defaultsAreUsableAndCoverTheLargestEnvelope() {
    CollectorConfig config = CollectorConfig.create(b -> {});

    assertThat(config.mqttHost()).isEqualTo("127.0.0.1");
    assertThat(config.mqttPort()).isEqualTo(1883);
    // 260,258-byte envelope + 1,024 bytes of headroom
    assertThat(BatchCodec.MAX_ENVELOPE_SIZE).isEqualTo(260_258);
    assertThat(config.maxPacketBytes()).isEqualTo(261_282);
    assertThat(CollectorConfig.MIN_PACKET_BYTES).isEqualTo(260_258 + 2 + 151 + 2);
    assertThat(config.futureSkew()).isEqualTo(Duration.ofMinutes(5));
    assertThat(config.storeKind()).isEqualTo(StoreKind.QUESTDB);
    assertThat(config.storeToken()).isNull();
  }

  @Test
  void badValuesAreRefusedNamingTheField() {
    assertThatThrownBy(() -> CollectorConfig.create(b -> b.mqttPort(70_000)))
        .isInstanceOf(ConfigException.class)
        .hasMessage("mqttPort: must be 0..65535, got 70000");
    assertThatThrownBy(() -> CollectorConfig.create(b -> b.maxPacketBytes(8092)))
        .hasMessageStartingWith("maxPacketBytes: must be 260413..268435455");
    assertThatThrownBy(() -> CollectorConfig.create(b -> b.workerShards(0)))
        .hasMessageStartingWith("workerShards:");
    assertThatThrownBy(() -> CollectorConfig.create(b -> b.futureSkew(Duration.ofSeconds(-1))))
        .hasMessageStartingWith("futureSkew:");
    assertThatThrownBy(() -> CollectorConfig.create(b -> b.storeUrl("ftp://x")))
        .hasMessageStartingWith("storeUrl: must be an http:// or https:// URL");
    assertThatThrownBy(() -> CollectorConfig.create(b -> b.storeKind(null)))
        .hasMessage("storeKind: must be one of QUESTDB, INFLUXDB");
  }

  @Test
  void theTokenStaysOutOfToString() {
    CollectorConfig config = CollectorConfig.create(b -> b.storeToken("very-secret"));

    assertThat(config.toString()).doesNotContain("very-secret").contains("token=***");
  }

  @Test
  void loadsEverySectionFromYaml() throws IOException {
    Path file =
        write(
            """
            mqtt:
              host: 0.0.0.0
              port: 0
              maxPacketBytes: 300000
              connectTimeout: 5s
              ioThreads: 3
            workers:
              shards: 4
              queueCapacity: 64
              authThreads: 1
              groupMaxBatches: 32
              groupMaxBytes: 65536
            verify:
              futureSkew: 2m
              lateAfter: PT6H
              quarantineSize: 10
            store:
              kind: influxdb
              url: http://influx.example:8086/
              token: abc
              org: lab
              bucket: telemetry
              timeout: 1500ms
            """);

    CollectorConfig config = CollectorConfig.load(file);

    assertThat(config)
        .isEqualTo(
            new CollectorConfig(
                "0.0.0.0",
                0,
                300_000,
                Duration.ofSeconds(5),
                3,
                4,
                64,
                1,
                new GroupCommitLimits(32, 65_536),
                Duration.ofMinutes(2),
                Duration.ofHours(6),
                10,
                StoreKind.INFLUXDB,
                "http://influx.example:8086",
                "abc",
                "lab",
                "telemetry",
                Duration.ofMillis(1500),
                null,
                null,
                ListenerSettings.DEFAULT,
                ChainSettings.DEFAULT));
  }

  @Test
  void theExampleInTheReadmeLoads() throws IOException {
    Path file =
        write(
            """
            mqtt:    { host: 0.0.0.0, port: 1883, maxPacketBytes: 261282, connectTimeout: 10s, ioThreads: 2 }
            workers: { shards: 4, queueCapacity: 2048, authThreads: 2 }
            verify:  { futureSkew: 5m, lateAfter: 1h, quarantineSize: 100 }
            store:   { kind: QUESTDB, url: "http://127.0.0.1:9000", token: null, org: labmeter, bucket: labmeter, timeout: 30s }
            """);

    CollectorConfig config = CollectorConfig.load(file);

    assertThat(config)
        .isEqualTo(CollectorConfig.create(b -> b.mqttHost("0.0.0.0").ioThreads(2).workerShards(4)));
  }

  @Test
  void chainWindowsAndTheSweeperLoadFromTheVerifySection() throws IOException {
    Path file = write("verify: { maxChainWindows: 50000, sweepInterval: 0s, sweepHorizon: 2h }\n");
    Path small = write("verify:\n  maxChainWindows: 3\n");

    assertThat(CollectorConfig.load(file).chains())
        .isEqualTo(new ChainSettings(50_000, Duration.ZERO, Duration.ofHours(2)));
    assertThat(CollectorConfig.load(file).chains().sweeping()).isFalse();
    assertThat(CollectorConfig.create(b -> {}).chains().sweepInterval())
        .isEqualTo(Duration.ofSeconds(60));
    assertThatThrownBy(() -> CollectorConfig.load(small))
        .hasMessage(small + ": verify.maxChainWindows: must be 16..10000000, got 3");
  }

  @Test
  void anEmptyFileMeansAllDefaults() throws IOException {
    assertThat(CollectorConfig.load(write(""))).isEqualTo(CollectorConfig.create(b -> {}));
  }

  @Test
  void fileErrorsNameTheFileTheKeyAndTheAllowedValues() throws IOException {
    Path kind = write("store:\n  kind: mongodb\n");
    Path port = write("mqtt:\n  port: 99999\n");
    Path unknownKey = write("mqtt:\n  hots: x\n");
    Path unknownSection = write("database:\n  url: x\n");
    Path duration = write("verify:\n  futureSkew: soon\n");
    Path notNumber = write("workers:\n  shards: many\n");

    assertThatThrownBy(() -> CollectorConfig.load(kind))
        .hasMessage(kind + ": store.kind: 'mongodb' is not one of QUESTDB, INFLUXDB");
    assertThatThrownBy(() -> CollectorConfig.load(port))
        .hasMessage(port + ": mqtt.port: must be 0..65535, got 99999");
    assertThatThrownBy(() -> CollectorConfig.load(unknownKey))
        .hasMessage(
            unknownKey
                + ": unknown key 'mqtt.hots', allowed in mqtt: host, port, maxPacketBytes,"
                + " connectTimeout, ioThreads, minKeepAlive, maxKeepAlive, maxConnectionsPerAgent,"
                + " publishRatePerAgent, publishBurstPerAgent, receiveMaximum");
    assertThatThrownBy(() -> CollectorConfig.load(unknownSection))
        .hasMessage(
            unknownSection
                + ": unknown section 'database', allowed: mqtt, workers, verify, store,"
                + " spool, bridge, tls");
    assertThatThrownBy(() -> CollectorConfig.load(duration))
        .hasMessageStartingWith(duration + ": verify.futureSkew: 'soon' is not a duration");
    assertThatThrownBy(() -> CollectorConfig.load(notNumber))
        .hasMessage(notNumber + ": workers.shards: must be a whole number, got '\"many\"'");
  }

  @Test
  void theSpoolIsOffUnlessADirectoryIsGivenAndItsMarksArePercentOfTheBound() throws IOException {
    assertThat(CollectorConfig.create(b -> {}).spool()).isNull();
    Path file =
        write(
            """
            spool:
              directory: /var/lib/labmeter/spool
              maxBytes: 2000000000
              segmentBytes: 1048576
              backpressurePercent: 90
              unhealthyPercent: 25
              retryBackoffMax: 2s
              writeBehind: true
              replayMaxRate: 5000
            """);

    SpoolSettings spool = CollectorConfig.load(file).spool();

    assertThat(spool)
        .isEqualTo(
            new SpoolSettings(
                Path.of("/var/lib/labmeter/spool"),
                2_000_000_000L,
                1_048_576,
                1_800_000_000L, // 2,000,000,000 / 100 * 90
                Duration.ofSeconds(5),
                500_000_000L, // 2,000,000,000 / 100 * 25
                Duration.ofSeconds(2),
                GroupCommitLimits.DEFAULT,
                true,
                5000));
    assertThat(CollectorConfig.create(b -> b.spoolDirectory(Path.of("s"))).spool())
        .isEqualTo(SpoolSettings.defaults(Path.of("s")));
  }

  @Test
  void badSpoolSettingsNameTheKey() throws IOException {
    Path small = write("spool:\n  directory: s\n  maxBytes: 1000\n");
    Path percent = write("spool:\n  directory: s\n  backpressurePercent: 0\n");
    Path noDirectory = write("spool:\n  maxBytes: 2000000\n");
    Path rate = write("spool:\n  directory: s\n  replayMaxRate: -1\n");

    assertThatThrownBy(() -> CollectorConfig.load(small))
        .hasMessage(small + ": spool.maxBytes: must be 2097152..1099511627776, got 1000");
    assertThatThrownBy(() -> CollectorConfig.load(percent))
        .hasMessage(percent + ": spool.backpressurePercent: must be 1..100, got 0");
    assertThatThrownBy(() -> CollectorConfig.load(rate))
        .hasMessage(rate + ": spool.replayMaxRate: must be 0..10000000, got -1");
    assertThatThrownBy(() -> CollectorConfig.load(noDirectory))
        .hasMessageStartingWith(noDirectory + ": spool.directory: must be set when other spool");
  }

  private Path write(String yaml) throws IOException {
    Path file = Files.createTempFile(dir, "collector", ".yaml");
    Files.writeString(file, yaml);
    return file;
  }

  @Test
  void aGroupCommitCapOutOfRangeNamesTheKey() throws IOException {
    Path file =
        write(
            """
            workers:
              groupMaxBatches: 0
            """);
    assertThatThrownBy(() -> CollectorConfig.load(file))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("workers.groupMaxBatches")
        .hasMessageContaining("maxBatches must be 1..100000, got 0");
  }
}
