package org.labmeter.metering.bench;

import io.questdb.client.Sender;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.concurrent.locks.LockSupport;
import org.labmeter.collector.store.EmbeddedQuestDb;
import org.labmeter.collector.store.StoreSchema;
import org.labmeter.metering.derive.DerivationProfile;
import org.labmeter.metering.derive.ObservationSeries;
import org.labmeter.metering.derive.RunState;
import org.labmeter.metering.derive.StateDeriver;
import org.labmeter.metering.derive.Usage;
import org.labmeter.metering.store.QuestDbSampleReader;

/**
 * One instrument-year at 1 Hz (31,536,000 samples) in the collector's embedded QuestDB, read back
 * through {@link QuestDbSampleReader} and derived by {@link StateDeriver}. The load happens once
 * per folder (a marker file records it) and is timed apart from the read and the derivation. Each
 * run's result is compared with the derivation of the same samples generated in memory, so a faster
 * reader cannot change a millisecond unnoticed. Run with {@code bench/derive-year.sh}.
 *
 * <p>Arguments: the folder for QuestDB's data (about 2 GB), the number of timed runs, and the
 * reader: {@code in-process} (QuestDB's cursor in this JVM, what {@code labmeter serve} uses with
 * the embedded store; the default) or {@code wire} (PostgreSQL wire, as with an external QuestDB).
 */
public final class DeriveYearBench {
  static final String INSTRUMENT = "bench-year";
  static final int SAMPLES = 31_536_000;
  static final long SEED = 2026;
  static final long START_MILLIS = 1_735_689_600_000L; // 2025-01-01T00:00:00Z

  private DeriveYearBench() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 1) {
      System.err.println("usage: DeriveYearBench <data folder> [runs=3] [in-process|wire]");
      System.exit(2);
    }
    Path folder = Path.of(args[0]);
    int runs = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    boolean inProcess = args.length <= 2 || !"wire".equals(args[2]);
    Files.createDirectories(folder);

    long g0 = System.nanoTime();
    ObservationSeries expectedSeries = SyntheticInstrument.series(START_MILLIS, SAMPLES, SEED);
    long from = START_MILLIS;
    long to = expectedSeries.timestampMillis(SAMPLES - 1) + 1000;
    DerivationProfile profile = SyntheticInstrument.profile();
    long d0 = System.nanoTime();
    Usage expected = StateDeriver.derive(profile, expectedSeries, from, to);
    long d1 = System.nanoTime();
    report(
        "generated %,d samples in memory in %.1f s; derived them in memory in %.2f s",
        SAMPLES, secs(g0, d0), secs(d0, d1));
    report(
        "year: ACTIVE %.1f h, %,d sessions, coverage %.4f, %,d evidence gaps",
        expected.durations().millis(RunState.ACTIVE) / 3.6e6,
        expected.sessions().size(),
        expected.coverage(),
        expected.evidenceGaps().size());

    try (EmbeddedQuestDb db = EmbeddedQuestDb.start(folder.resolve("questdb"), 0, 0)) {
      Path marker = folder.resolve("loaded-" + INSTRUMENT + "-" + SAMPLES + "-" + SEED);
      if (!Files.exists(marker)) {
        load(db);
        Files.writeString(marker, "loaded\n");
      } else {
        report("data already loaded under %s", folder);
      }
      report("reader: %s", inProcess ? "in-process (QuestDB's cursor)" : "PostgreSQL wire");
      try (QuestDbSampleReader reader =
          new QuestDbSampleReader(
              db.pgJdbcUrl(), "admin", "quest", inProcess ? db.engine() : null)) {
        for (int run = 1; run <= runs; run++) {
          System.gc();
          long r0 = System.nanoTime();
          ObservationSeries series = reader.read(INSTRUMENT, from, to);
          long r1 = System.nanoTime();
          Usage usage = StateDeriver.derive(profile, series, from, to);
          long r2 = System.nanoTime();
          boolean same = series.size() == SAMPLES && usage.equals(expected);
          report(
              "run %d: read %,d samples %.2f s (%,.0f samples/s), derive %.2f s, read+derive %.2f s,"
                  + " result %s",
              run,
              series.size(),
              secs(r0, r1),
              series.size() / secs(r0, r1),
              secs(r1, r2),
              secs(r0, r2),
              same ? "identical to in-memory" : "DIFFERENT");
          if (!same) {
            System.exit(1);
          }
        }
      }
    }
  }

  private static void load(EmbeddedQuestDb db) throws IOException, SQLException {
    StoreSchema.ensureQuestDb(db.httpUrl());
    long l0 = System.nanoTime();
    double[] energy = {0};
    long[] index = {0};
    try (Sender sender =
        Sender.fromConfig(
            "http::addr=127.0.0.1:"
                + db.httpPort()
                + ";auto_flush_rows=200000;"
                + "auto_flush_interval=off;request_timeout=600000;")) {
      SyntheticInstrument.generate(
          START_MILLIS,
          SAMPLES,
          SEED,
          (ts, power, flag, quality, verified) -> {
            energy[0] += power / 3.6e6;
            sender
                .table("lm_samples")
                .symbol("instrument", INSTRUMENT)
                .symbol("agent", "bench-agent")
                .doubleColumn("power_w", power)
                .doubleColumn("energy_kwh", energy[0])
                .longColumn("run_flag", flag.code())
                .longColumn("quality", quality.code())
                .longColumn("epoch", 1)
                .longColumn("seq", index[0]++ / 10)
                .boolColumn("verified", verified)
                .at(ts, ChronoUnit.MILLIS);
          });
      sender.flush();
    }
    long l1 = System.nanoTime();
    report(
        "sent %,d rows over ILP/HTTP in %.1f s; waiting for QuestDB to apply them",
        SAMPLES, secs(l0, l1));
    try (Connection c = DriverManager.getConnection(db.pgJdbcUrl(), "admin", "quest");
        PreparedStatement ps =
            c.prepareStatement("SELECT count() FROM lm_samples WHERE instrument = ?")) {
      ps.setString(1, INSTRUMENT);
      long deadline = System.nanoTime() + 1_800_000_000_000L;
      long rows = -1;
      while (System.nanoTime() < deadline) {
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          rows = rs.getLong(1);
        }
        if (rows == SAMPLES) {
          break;
        }
        LockSupport.parkNanos(1_000_000_000L);
      }
      if (rows != SAMPLES) {
        throw new IllegalStateException("QuestDB holds " + rows + " rows, expected " + SAMPLES);
      }
    }
    report(
        "loaded and applied in %.1f s (load time; not part of the target)",
        secs(l0, System.nanoTime()));
  }

  private static double secs(long fromNanos, long toNanos) {
    return (toNanos - fromNanos) / 1e9;
  }

  private static void report(String format, Object... args) {
    System.out.println(String.format(Locale.ROOT, format, args));
  }
}
