package org.labmeter.metering.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.questdb.client.Sender;
import java.nio.file.Path;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.labmeter.collector.store.EmbeddedQuestDb;
import org.labmeter.collector.store.StoreSchema;
import org.labmeter.metering.derive.ObservationSeries;
import org.labmeter.wire.Quality;
import org.labmeter.wire.RunFlag;

/**
 * The reader against the collector's embedded QuestDB and table layout. Instrument r-1 has 250,000
 * rows at 1 Hz, more than one fetch of 200,000; row i has power i/2 W (none in row 7), run flag
 * code i mod 4 (99 in row 11), quality code i mod 3 (99 in row 13) and verified unless i is a
 * multiple of 5. Instrument r-2 has rows at the same times that must not leak in. Every test runs
 * on both paths: the PostgreSQL wire protocol (an external QuestDB) and QuestDB's own cursor in
 * this JVM (the embedded store).
 */
class QuestDbSampleReaderTest {
  static final long T0 = 1_772_409_600_000L; // 2026-03-02T00:00:00Z
  static final int ROWS = 250_000;
  static final long NINE_DAYS = 9L * 24 * 3_600_000L;

  static java.util.List<Long> sparseTimes() {
    java.util.TreeSet<Long> times = new java.util.TreeSet<>();
    for (long t = T0; t < T0 + NINE_DAYS; t += 600_000L) {
      times.add(t);
    }
    long step =
        Math.floorDiv(NINE_DAYS + QuestDbSampleReader.SLICES - 1, QuestDbSampleReader.SLICES);
    for (int k = 1; k < QuestDbSampleReader.SLICES; k++) {
      times.add(T0 + k * step - 1);
      times.add(T0 + k * step);
      times.add(T0 + k * step + 1);
    }
    return java.util.List.copyOf(times);
  }

  @TempDir static Path root;
  static EmbeddedQuestDb db;
  static QuestDbSampleReader wireReader;
  static QuestDbSampleReader inProcessReader;

  static QuestDbSampleReader reader(String path) {
    return "wire".equals(path) ? wireReader : inProcessReader;
  }

  @BeforeAll
  static void load() throws Exception {
    db = EmbeddedQuestDb.start(root, 0, 0);
    StoreSchema.ensureQuestDb(db.httpUrl());
    try (Sender sender = Sender.fromConfig("http::addr=127.0.0.1:" + db.httpPort() + ";")) {
      for (int i = 0; i < ROWS; i++) {
        sender.table("lm_samples").symbol("instrument", "r-1").symbol("agent", "a-1");
        if (i != 7) {
          sender.doubleColumn("power_w", i * 0.5);
        }
        sender
            .longColumn("run_flag", i == 11 ? 99 : i % 4)
            .longColumn("quality", i == 13 ? 99 : i % 3)
            .boolColumn("verified", i % 5 != 0)
            .at(T0 + i * 1000L, ChronoUnit.MILLIS);
      }
      for (int i = 0; i < 10; i++) {
        sender
            .table("lm_samples")
            .symbol("instrument", "r-2")
            .symbol("agent", "a-2")
            .doubleColumn("power_w", -1)
            .longColumn("run_flag", 0)
            .longColumn("quality", 0)
            .boolColumn("verified", true)
            .at(T0 + i * 1000L, ChronoUnit.MILLIS);
      }
      // r-3: every 10 minutes for 9 days, plus samples on both sides of the middle, where a
      // sliced read of the 9 days cuts (two slices or more, each a whole number of milliseconds)
      for (long t : sparseTimes()) {
        sender
            .table("lm_samples")
            .symbol("instrument", "r-3")
            .symbol("agent", "a-3")
            .doubleColumn("power_w", (t - T0) / 1000.0)
            .longColumn("run_flag", 2)
            .longColumn("quality", 0)
            .boolColumn("verified", true)
            .at(t, ChronoUnit.MILLIS);
      }
    }
    wireReader = new QuestDbSampleReader(db.pgJdbcUrl(), "admin", "quest");
    inProcessReader = new QuestDbSampleReader(db.pgJdbcUrl(), "admin", "quest", db.engine());
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> wireReader.read("r-3", T0, T0 + NINE_DAYS).size() == sparseTimes().size());
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> wireReader.read("r-1", T0, T0 + ROWS * 1000L).size() == ROWS);
  }

  @AfterAll
  static void stop() {
    for (QuestDbSampleReader r : new QuestDbSampleReader[] {wireReader, inProcessReader}) {
      if (r != null) {
        r.close();
      }
    }
    if (db != null) {
      db.close();
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"wire", "in-process"})
  void aLongWindowReadInSlicesHasEverySampleOnceInOrder(String path) {
    QuestDbSampleReader reader = reader(path);
    long nineDays = NINE_DAYS;
    assertThat(nineDays).isGreaterThan(QuestDbSampleReader.SLICED_ABOVE_MILLIS);
    ObservationSeries sliced = reader.read("r-3", T0, T0 + nineDays);
    java.util.List<Long> expected = sparseTimes();
    assertThat(sliced.size()).isEqualTo(expected.size());
    for (int i = 0; i < sliced.size(); i++) {
      assertThat(sliced.timestampMillis(i)).isEqualTo(expected.get(i));
      assertThat(sliced.powerW(i)).isEqualTo((expected.get(i) - T0) / 1000.0);
    }
    // the same as two reads short enough not to be sliced
    long half = nineDays / 2;
    assertThat(
            reader.read("r-3", T0, T0 + half).size()
                + reader.read("r-3", T0 + half, T0 + nineDays).size())
        .isEqualTo(expected.size());
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"wire", "in-process"})
  void readsTheWindowAcrossFetchesColumnByColumn(String path) {
    QuestDbSampleReader reader = reader(path);
    // [row 1, row 240,000): 239,999 samples; sample k is row k + 1.
    ObservationSeries s = reader.read("r-1", T0 + 1000, T0 + 240_000_000L);

    assertThat(s.size()).isEqualTo(239_999);
    assertThat(s.timestampMillis(0)).isEqualTo(T0 + 1000);
    assertThat(s.timestampMillis(239_998)).isEqualTo(T0 + 239_999_000L);
    double sum = 0;
    for (int k = 0; k < s.size(); k++) {
      sum += Double.isNaN(s.powerW(k)) ? 0 : s.powerW(k);
    }
    // 0.5 * (1 + ... + 239,999) - 3.5 (row 7 has no power)
    assertThat(sum).isEqualTo(14_399_939_996.5);

    assertRow(s, 6, 3.0, RunFlag.RUNNING, Quality.GOOD, true);
    assertRow(s, 7, Double.NaN, RunFlag.FAULT, Quality.SUSPECT, true);
    assertRow(s, 10, 5.0, RunFlag.RUNNING, Quality.SUSPECT, false);
    assertRow(s, 11, 5.5, RunFlag.NONE, Quality.UNAVAILABLE, true); // unknown flag code 99
    assertRow(s, 13, 6.5, RunFlag.IDLE, Quality.UNAVAILABLE, true); // unknown quality code 99
    assertRow(s, 210_001, 105_000.5, RunFlag.IDLE, Quality.SUSPECT, true); // second fetch
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"wire", "in-process"})
  void readsOnlyTheAskedInstrumentAndNothingOutsideTheWindow(String path) {
    QuestDbSampleReader reader = reader(path);
    ObservationSeries r2 = reader.read("r-2", T0, T0 + ROWS * 1000L);
    assertThat(r2.size()).isEqualTo(10);
    assertThat(r2.powerW(9)).isEqualTo(-1.0);

    assertThat(reader.read("r-1", T0 + ROWS * 1000L, T0 + 2 * ROWS * 1000L).isEmpty()).isTrue();
    assertThat(reader.read("unknown", T0, T0 + ROWS * 1000L).isEmpty()).isTrue();
  }

  @Test
  void bothPathsGiveTheSameSeriesAndAMissingTableIsAStoreError() {
    ObservationSeries wire = wireReader.read("r-1", T0, T0 + ROWS * 1000L);
    ObservationSeries inProcess = inProcessReader.read("r-1", T0, T0 + ROWS * 1000L);
    assertThat(inProcess.size()).isEqualTo(wire.size());
    for (int k = 0; k < wire.size(); k++) {
      assertThat(inProcess.timestampMillis(k)).isEqualTo(wire.timestampMillis(k));
      assertThat(Double.doubleToLongBits(inProcess.powerW(k)))
          .isEqualTo(Double.doubleToLongBits(wire.powerW(k)));
      assertThat(inProcess.runFlag(k)).isEqualTo(wire.runFlag(k));
      assertThat(inProcess.quality(k)).isEqualTo(wire.quality(k));
      assertThat(inProcess.verified(k)).isEqualTo(wire.verified(k));
    }
    // a second engine root without the table: the reader says which instrument and why
    try (EmbeddedQuestDb empty = EmbeddedQuestDb.start(root.resolve("empty"), 0, 0);
        QuestDbSampleReader r =
            new QuestDbSampleReader(empty.pgJdbcUrl(), "admin", "quest", empty.engine())) {
      assertThatThrownBy(() -> r.read("r-1", T0, T0 + 1000))
          .isInstanceOf(StoreReadException.class)
          .hasMessageContaining("r-1")
          .hasMessageContaining("lm_samples");
    }
  }

  private static void assertRow(
      ObservationSeries s, int row, double power, RunFlag flag, Quality quality, boolean verified) {
    int k = row - 1;
    assertThat(s.timestampMillis(k)).isEqualTo(T0 + row * 1000L);
    if (Double.isNaN(power)) {
      assertThat(s.powerW(k)).isNaN();
    } else {
      assertThat(s.powerW(k)).isEqualTo(power);
    }
    assertThat(s.runFlag(k)).isEqualTo(flag);
    assertThat(s.quality(k)).isEqualTo(quality);
    assertThat(s.verified(k)).isEqualTo(verified);
  }
}
