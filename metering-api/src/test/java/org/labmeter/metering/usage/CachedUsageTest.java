package org.labmeter.metering.usage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.questdb.client.Sender;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.labmeter.collector.store.EmbeddedQuestDb;
import org.labmeter.collector.store.StoreSchema;
import org.labmeter.metering.derive.DerivationProfile;
import org.labmeter.metering.derive.RunState;
import org.labmeter.metering.registry.Facility;
import org.labmeter.metering.registry.Instrument;
import org.labmeter.metering.registry.Registry;
import org.labmeter.metering.registry.RelationalStore;
import org.labmeter.metering.store.CachingSampleReader;
import org.labmeter.metering.store.QuestDbSampleReader;

/**
 * Usage through the {@link CachingSampleReader} equals usage read straight from the store, against
 * a real embedded QuestDB with the collector's tables. Now is 2026-03-10T12:00:00Z. nmr-1 has a
 * sample every 10 s from 06:00 to 11:59:50, 1,200 W for 20 minutes then 100 W for 20 minutes,
 * except 08:00–08:30 where it sent nothing. Then, in order:
 *
 * <ol>
 *   <li>cold and warm reads of several windows (chunk-aligned or not, inside and reaching into the
 *       open tail) give the uncached answers, and the warm reads hit the cache;
 *   <li>a late batch fills 08:00–08:30 with 1,200 W (received now): after the next look for late
 *       batches the cached answers are the new uncached ones (08:00–08:30 is no longer UNKNOWN);
 *   <li>a new profile version from 09:00 (on above 1,500 W, minimum on-time two hours, so a wider
 *       context is read) gives the same answers both ways;
 *   <li>a cache with room for only a few chunks (evicting all the time) answers the same.
 * </ol>
 */
class CachedUsageTest {
  static final Instant NOW = Instant.parse("2026-03-10T12:00:00Z");
  static final DerivationProfile PROFILE =
      DerivationProfile.create(
          b ->
              b.offBelowW(10)
                  .onThresholdW(800)
                  .offThresholdW(500)
                  .minOn(Duration.ofSeconds(30))
                  .minOff(Duration.ofSeconds(30))
                  .maxSampleGap(Duration.ofSeconds(30)));
  static final List<Instant[]> WINDOWS =
      List.of(
          window("2026-03-10T06:00:00Z", "2026-03-10T12:00:00Z"),
          window("2026-03-10T07:13:27Z", "2026-03-10T09:41:02Z"),
          window("2026-03-10T10:00:00Z", "2026-03-10T11:00:00Z"),
          window("2026-03-10T11:00:00Z", "2026-03-10T11:57:00Z"),
          window("2026-03-10T11:30:00Z", "2026-03-10T12:00:00Z"),
          window("2026-03-09T12:00:00Z", "2026-03-10T12:00:00Z"));

  @TempDir static Path root;
  static EmbeddedQuestDb db;
  static QuestDbSampleReader reader;
  static RelationalStore store;
  static Registry registry;
  static MutableClock clock = new MutableClock(NOW);

  @BeforeAll
  static void open() throws Exception {
    db = EmbeddedQuestDb.start(root, 0, 0);
    StoreSchema.ensureQuestDb(db.httpUrl());
    reader = new QuestDbSampleReader(db.pgJdbcUrl(), "admin", "quest");
    store =
        RelationalStore.open("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "");
    registry = new Registry(store.dataSource());
    registry.saveFacility(new Facility("inst-a", "Institute A", "甲研究所"));
    registry.addInstrument(
        new Instrument("nmr-1", "inst-a", "NMR 600", "核磁共振", "X600", "A-001"),
        PROFILE,
        Instant.parse("2026-01-01T00:00:00Z"));
    long t0 = at("2026-03-10T06:00:00Z");
    try (Sender sender = Sender.fromConfig("http::addr=127.0.0.1:" + db.httpPort() + ";")) {
      for (long t = t0; t < NOW.toEpochMilli(); t += 10_000) {
        if (t >= at("2026-03-10T08:00:00Z") && t < at("2026-03-10T08:30:00Z")) {
          continue;
        }
        sample(sender, t, ((t - t0) / 1_200_000L) % 2 == 0 ? 1200 : 100);
      }
    }
    await().atMost(Duration.ofSeconds(60)).until(() -> samples() == 2160 - 180);
  }

  @AfterAll
  static void close() {
    if (reader != null) {
      reader.close();
    }
    if (db != null) {
      db.close();
    }
    if (store != null) {
      store.close();
    }
  }

  @Test
  void cachedAnswersEqualStoreAnswersThroughLateDataAndAProfileChange() throws Exception {
    UsageService direct = new UsageService(registry, reader);
    CachingSampleReader cache =
        new CachingSampleReader(reader, reader.batchReader()::receivedAfter, clock, 64L << 20);
    UsageService cached = new UsageService(registry, cache);

    assertSame(direct, cached); // cold
    long loads = cache.stats().chunkLoads();
    assertThat(loads).isPositive();
    assertSame(direct, cached); // warm
    assertThat(cache.stats().chunkHits()).isPositive();
    assertThat(cache.stats().chunkLoads()).isEqualTo(loads);
    InstrumentUsage before = usage(direct, WINDOWS.get(0));
    assertThat(stateAt(before, "2026-03-10T08:15:00Z")).isEqualTo(RunState.UNKNOWN);

    // 08:00–08:30 arrives late, as one batch received now
    try (Sender sender = Sender.fromConfig("http::addr=127.0.0.1:" + db.httpPort() + ";")) {
      long first = at("2026-03-10T08:00:00Z");
      for (long t = first; t < at("2026-03-10T08:30:00Z"); t += 10_000) {
        sample(sender, t, 1200);
      }
      batch(sender, first, first + 179 * 10_000L, NOW.toEpochMilli() + 1000);
    }
    await().atMost(Duration.ofSeconds(60)).until(() -> samples() == 2160);
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> reader.batchReader().receivedAfter(NOW.toEpochMilli(), 0).size() == 1);
    clock.advance(CachingSampleReader.SCAN_INTERVAL_MILLIS);
    InstrumentUsage after = usage(cached, WINDOWS.get(0));
    assertThat(stateAt(after, "2026-03-10T08:15:00Z")).isEqualTo(RunState.ACTIVE);
    assertThat(cache.stats().chunksDropped()).isEqualTo(3); // 08:00, 08:10, 08:20
    assertSame(direct, cached);

    // a new profile version from 09:00 with a two-hour minimum on-time (context margin 2 h 30 s)
    registry.addProfileVersion(
        "nmr-1",
        DerivationProfile.create(
            b ->
                b.offBelowW(10)
                    .onThresholdW(1500)
                    .offThresholdW(500)
                    .minOn(Duration.ofHours(2))
                    .minOff(Duration.ofSeconds(30))
                    .maxSampleGap(Duration.ofSeconds(30))),
        Instant.parse("2026-03-10T09:00:00Z"));
    assertThat(usage(direct, WINDOWS.get(0))).isNotEqualTo(after);
    assertSame(direct, cached);
    assertSame(direct, cached);

    // room for about three chunks of 60 samples: evicts on nearly every load
    CachingSampleReader tiny =
        new CachingSampleReader(reader, reader.batchReader()::receivedAfter, clock, 5_000);
    UsageService small = new UsageService(registry, tiny);
    assertSame(direct, small);
    assertSame(direct, small);
    assertThat(tiny.stats().cachedBytes()).isLessThanOrEqualTo(5_000);
  }

  private static void assertSame(UsageService direct, UsageService cached) {
    for (Instant[] w : WINDOWS) {
      assertThat(usage(cached, w)).as("window %s..%s", w[0], w[1]).isEqualTo(usage(direct, w));
    }
  }

  private static InstrumentUsage usage(UsageService service, Instant[] w) {
    return service.usage("nmr-1", w[0], w[1]).orElseThrow();
  }

  private static RunState stateAt(InstrumentUsage u, String iso) {
    long t = at(iso);
    return u.usage().timeline().stream()
        .filter(s -> s.startMillis() <= t && t < s.endMillis())
        .findFirst()
        .orElseThrow()
        .state();
  }

  private static int samples() {
    return reader.read("nmr-1", at("2026-03-10T00:00:00Z"), NOW.toEpochMilli()).size();
  }

  private static void sample(Sender sender, long t, double watts) {
    sender
        .table("lm_samples")
        .symbol("instrument", "nmr-1")
        .symbol("agent", "a-1")
        .doubleColumn("power_w", watts)
        .longColumn("run_flag", 0)
        .longColumn("quality", 0)
        .longColumn("epoch", 1)
        .longColumn("seq", 7)
        .boolColumn("verified", true)
        .at(t, ChronoUnit.MILLIS);
  }

  private static void batch(Sender sender, long first, long last, long receivedAt) {
    sender
        .table("lm_batches")
        .symbol("instrument", "nmr-1")
        .symbol("agent", "a-1")
        .longColumn("epoch", 1)
        .longColumn("seq", 7)
        .longColumn("sample_count", 180)
        .longColumn("first_ts", first)
        .longColumn("last_ts", last)
        .stringColumn("prev_hash", "00")
        .stringColumn("hash", "h7")
        .boolColumn("chain_ok", true)
        .longColumn("received_at", receivedAt)
        .stringColumn("envelope", "")
        .at(first, ChronoUnit.MILLIS);
  }

  private static Instant[] window(String from, String to) {
    return new Instant[] {Instant.parse(from), Instant.parse(to)};
  }

  private static long at(String iso) {
    return Instant.parse(iso).toEpochMilli();
  }

  /** A clock the test moves by hand. */
  static final class MutableClock extends Clock {
    private volatile Instant now;

    MutableClock(Instant now) {
      this.now = now;
    }

    void advance(long millis) {
      now = now.plusMillis(millis);
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
