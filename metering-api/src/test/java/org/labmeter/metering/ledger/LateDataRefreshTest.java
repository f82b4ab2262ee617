package org.labmeter.metering.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.questdb.client.Sender;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.labmeter.collector.store.EmbeddedQuestDb;
import org.labmeter.collector.store.StoreSchema;
import org.labmeter.metering.attribution.AttributionPolicy;
import org.labmeter.metering.derive.DerivationProfile;
import org.labmeter.metering.registry.Facility;
import org.labmeter.metering.registry.Instrument;
import org.labmeter.metering.registry.Registry;
import org.labmeter.metering.registry.RelationalStore;
import org.labmeter.metering.store.QuestDbBatchReader;
import org.labmeter.metering.store.QuestDbSampleReader;
import org.labmeter.metering.usage.UsageService;

/**
 * An agent back after days offline, against a real embedded QuestDB with the collector's tables.
 * Today is 2026-03-10 (12:00Z). The first pass recomputes 9 and 10 March and sets the watermark.
 * Then batches arrive (received 12:00:05..12:00:08) holding 1 kW every 10 s:
 *
 * <ul>
 *   <li>5 March 10:00:00–10:29:50 (180 samples): ACTIVE 10:00:00–10:29:50 = 1,790,000 ms (the last
 *       sample holds nothing: no later sample within the 30 s gap). Context margin one hour: only 5
 *       March is touched.
 *   <li>7 March 23:30:00–23:49:50 (120 samples): ACTIVE 1,190,000 ms on 7 March; 23:49:50 plus the
 *       hour of context reaches 8 March, so 8 March is recomputed too (all UNKNOWN).
 *   <li>20 February, in the closed period "feb" (closing it stored its days): left alone.
 *   <li>an instrument nobody registered: skipped.
 * </ul>
 *
 * The second pass recomputes exactly (nmr-1, 5 March), (nmr-1, 7 March), (nmr-1, 8 March) after the
 * usual two days; the third only the usual two.
 */
class LateDataRefreshTest {
  static final Instant NOW = Instant.parse("2026-03-10T12:00:00Z");
  static final LocalDate MAR5 = LocalDate.of(2026, 3, 5);
  static final LocalDate MAR7 = LocalDate.of(2026, 3, 7);
  static final LocalDate MAR8 = LocalDate.of(2026, 3, 8);
  static final LocalDate MAR9 = LocalDate.of(2026, 3, 9);
  static final LocalDate MAR10 = LocalDate.of(2026, 3, 10);

  @TempDir Path root;
  EmbeddedQuestDb db;
  QuestDbSampleReader reader;
  RelationalStore store;
  Registry registry;
  LedgerService ledger;
  LedgerRefreshJob job;

  @BeforeEach
  void open() throws Exception {
    db = EmbeddedQuestDb.start(root, 0, 0);
    StoreSchema.ensureQuestDb(db.httpUrl());
    reader = new QuestDbSampleReader(db.pgJdbcUrl(), "admin", "quest");
    store =
        RelationalStore.open("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "");
    registry = new Registry(store.dataSource());
    registry.saveFacility(new Facility("inst-a", "Institute A", "甲研究所"));
    registry.addInstrument(
        new Instrument("nmr-1", "inst-a", "NMR 600", "核磁共振", "X600", "A-001"),
        DerivationProfile.create(
            b ->
                b.offBelowW(10)
                    .onThresholdW(800)
                    .offThresholdW(500)
                    .minOn(Duration.ofSeconds(30))
                    .minOff(Duration.ofSeconds(30))
                    .maxSampleGap(Duration.ofSeconds(30))),
        Instant.parse("2026-01-01T00:00:00Z"));
    Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    UsageService usage = new UsageService(registry, reader);
    ledger = new LedgerService(registry, usage, AttributionPolicy.DEFAULT, clock);
    PeriodService periods = new PeriodService(registry, ledger, clock);
    periods.create("feb", "February", LocalDate.of(2026, 2, 1), LocalDate.of(2026, 2, 28));
    periods.close("feb", "evaluator");
    periods.create("mar", "March", LocalDate.of(2026, 3, 1), LocalDate.of(2026, 3, 31));
    QuestDbBatchReader batches = reader.batchReader();
    job =
        new LedgerRefreshJob(registry, ledger, clock, Duration.ofMinutes(5))
            .lateData(new LateDataScan(registry, usage, batches, clock));
  }

  @AfterEach
  void close() {
    job.stop();
    reader.close();
    db.close();
    store.close();
  }

  @Test
  void exactlyTheDaysLateBatchesTouchAreRecomputed() throws Exception {
    assertThat(job.runOnceDays()).containsExactly(day(MAR9), day(MAR10));

    try (Sender sender = Sender.fromConfig("http::addr=127.0.0.1:" + db.httpPort() + ";")) {
      write(sender, "nmr-1", 0, at("2026-03-05T10:00:00Z"), 180, at("2026-03-10T12:00:05Z"));
      write(sender, "nmr-1", 1, at("2026-03-07T23:30:00Z"), 120, at("2026-03-10T12:00:06Z"));
      write(sender, "nmr-1", 2, at("2026-02-20T10:00:00Z"), 30, at("2026-03-10T12:00:07Z"));
      write(sender, "ghost-9", 0, at("2026-03-06T10:00:00Z"), 30, at("2026-03-10T12:00:08Z"));
    }
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                reader.batchReader().receivedAfter(NOW.toEpochMilli() - 1, 0).size() == 4
                    && reader
                            .read("nmr-1", at("2026-02-01T00:00:00Z"), at("2026-03-09T00:00:00Z"))
                            .size()
                        == 330);

    assertThat(job.runOnceDays())
        .containsExactly(day(MAR9), day(MAR10), day(MAR5), day(MAR7), day(MAR8));
    LedgerRepository rows = ledger.repository();
    assertThat(rows.days("nmr-1", MAR5, MAR5))
        .singleElement()
        .satisfies(d -> assertThat(d.totals().activeMs()).isEqualTo(1_790_000L));
    assertThat(rows.days("nmr-1", MAR7, MAR7))
        .singleElement()
        .satisfies(d -> assertThat(d.totals().activeMs()).isEqualTo(1_190_000L));
    assertThat(rows.days("nmr-1", MAR8, MAR8))
        .singleElement()
        .satisfies(d -> assertThat(d.totals().unknownMs()).isEqualTo(86_400_000L));
    assertThat(rows.days("nmr-1", LocalDate.of(2026, 3, 1), LocalDate.of(2026, 3, 4))).isEmpty();
    // closing February stored its days before the late samples came; they stay as they were
    LocalDate feb20 = LocalDate.of(2026, 2, 20);
    assertThat(rows.days("nmr-1", feb20, feb20))
        .singleElement()
        .satisfies(d -> assertThat(d.totals().activeMs()).isZero());
    assertThat(rows.days("nmr-1", LocalDate.of(2026, 3, 6), LocalDate.of(2026, 3, 6))).isEmpty();

    // nothing new arrived: the overlap re-reads the same batches but does not recount them
    assertThat(job.runOnceDays()).containsExactly(day(MAR9), day(MAR10));
  }

  private static InstrumentDay day(LocalDate d) {
    return new InstrumentDay("nmr-1", d);
  }

  private static long at(String iso) {
    return Instant.parse(iso).toEpochMilli();
  }

  /** One batch row and its samples (1 kW every 10 s), as the collector writes them. */
  private static void write(
      Sender sender, String instrument, long seq, long first, int samples, long receivedAt) {
    for (int i = 0; i < samples; i++) {
      sender
          .table("lm_samples")
          .symbol("instrument", instrument)
          .symbol("agent", "a-1")
          .doubleColumn("power_w", 1000)
          .longColumn("run_flag", 0)
          .longColumn("quality", 0)
          .longColumn("epoch", 1)
          .longColumn("seq", seq)
          .boolColumn("verified", true)
          .at(first + i * 10_000L, ChronoUnit.MILLIS);
    }
    sender
        .table("lm_batches")
        .symbol("instrument", instrument)
        .symbol("agent", "a-1")
        .longColumn("epoch", 1)
        .longColumn("seq", seq)
        .longColumn("sample_count", samples)
        .longColumn("first_ts", first)
        .longColumn("last_ts", first + (samples - 1) * 10_000L)
        .stringColumn("prev_hash", "00")
        .stringColumn("hash", "h" + seq)
        .boolColumn("chain_ok", true)
        .longColumn("received_at", receivedAt)
        .stringColumn("envelope", "")
        .at(first, ChronoUnit.MILLIS);
  }
}
