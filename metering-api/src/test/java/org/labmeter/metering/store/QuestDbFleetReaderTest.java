package org.labmeter.metering.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.questdb.client.Sender;
import java.nio.file.Path;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.labmeter.collector.store.EmbeddedQuestDb;
import org.labmeter.collector.store.StoreSchema;
import org.labmeter.wire.Quality;
import org.labmeter.wire.RunFlag;

/**
 * The fleet queries against the collector's embedded QuestDB. f-1 has a row every 10 s for three
 * minutes (row i at T0 + 10 i s, power 10 i W, run flag RUNNING); f-2 has rows for the first 50 s
 * at 7 W, the one at T0 + 20 s without power.
 */
class QuestDbFleetReaderTest {
  static final long T0 = 1_772_409_600_000L; // 2026-03-02T00:00:00Z

  @TempDir static Path root;
  static EmbeddedQuestDb db;
  static QuestDbSampleReader samples;
  static FleetReader reader;

  @BeforeAll
  static void load() throws Exception {
    db = EmbeddedQuestDb.start(root, 0, 0);
    StoreSchema.ensureQuestDb(db.httpUrl());
    try (Sender sender = Sender.fromConfig("http::addr=127.0.0.1:" + db.httpPort() + ";")) {
      for (int i = 0; i < 18; i++) {
        row(sender, "f-1", i * 10.0, 2).at(T0 + i * 10_000L, ChronoUnit.MILLIS);
      }
      for (int i = 0; i <= 5; i++) {
        row(sender, "f-2", i == 2 ? Double.NaN : 7.0, 0).at(T0 + i * 10_000L, ChronoUnit.MILLIS);
      }
    }
    samples = new QuestDbSampleReader(db.pgJdbcUrl(), "admin", "quest");
    reader = samples.fleetReader();
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                samples.read("f-1", T0, T0 + 180_000L).size() == 18
                    && samples.read("f-2", T0, T0 + 180_000L).size() == 6);
  }

  static Sender row(Sender s, String instrument, double watts, int flag) {
    s.table("lm_samples").symbol("instrument", instrument).symbol("agent", "a-1");
    if (!Double.isNaN(watts)) {
      s.doubleColumn("power_w", watts);
    }
    return s.longColumn("run_flag", flag).longColumn("quality", 0).boolColumn("verified", true);
  }

  @AfterAll
  static void stop() {
    if (samples != null) {
      samples.close();
    }
    if (db != null) {
      db.close();
    }
  }

  @Test
  void latestGivesTheNewestSampleOfEachInstrumentInTheWindow() {
    List<LatestSample> all = reader.latest(T0);
    assertThat(all)
        .containsExactlyInAnyOrder(
            new LatestSample("f-1", T0 + 170_000L, 170.0, RunFlag.RUNNING, Quality.GOOD),
            new LatestSample("f-2", T0 + 50_000L, 7.0, RunFlag.NONE, Quality.GOOD));
    // f-2's newest row (T0 + 50 s) is before the window: only f-1 answers
    assertThat(reader.latest(T0 + 60_000L))
        .extracting(LatestSample::instrumentId)
        .containsExactly("f-1");
  }

  @Test
  void powerBucketsAreMeansPerMinuteWithHolesWhereThereIsNoSample() {
    Map<String, double[]> b = reader.powerBuckets(T0, T0 + 180_000L, 60_000L);
    // f-1: rows 0..5 (0..50 W) mean 25; rows 6..11 mean 85; rows 12..17 mean 145
    assertThat(b.get("f-1")).containsExactly(25.0, 85.0, 145.0);
    // f-2: five rows of 7 W in the first minute (the one without power is left out), then nothing
    assertThat(b.get("f-2")[0]).isEqualTo(7.0);
    assertThat(b.get("f-2")[1]).isNaN();
    assertThat(b.get("f-2")[2]).isNaN();
  }
}
