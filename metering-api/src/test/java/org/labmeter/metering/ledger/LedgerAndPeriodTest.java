package org.labmeter.metering.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.labmeter.metering.attribution.AttributionPolicy;
import org.labmeter.metering.attribution.SessionKind;
import org.labmeter.metering.attribution.UsageSession;
import org.labmeter.metering.derive.DerivationProfile;
import org.labmeter.metering.derive.ObservationSeries;
import org.labmeter.metering.registry.Facility;
import org.labmeter.metering.registry.Instrument;
import org.labmeter.metering.registry.Registry;
import org.labmeter.metering.registry.RelationalStore;
import org.labmeter.metering.sessions.SessionRepository;
import org.labmeter.metering.store.SampleReader;
import org.labmeter.metering.usage.UsageService;
import org.labmeter.wire.Quality;
import org.labmeter.wire.RunFlag;

/**
 * The ledger over a real H2 store and hand-written samples: on 2026-03-02, 1 kW every 10 s from
 * 10:00:00 to 10:29:50, then 100 W until 10:59:50, then nothing. With T_on 800 W, T_off 500 W and a
 * 30 s gap limit that is ACTIVE 10:00:00–10:30:00 (1,800,000 ms), STANDBY 10:30:00–10:59:50
 * (1,790,000 ms) and UNKNOWN for the remaining 82,810,000 ms of the day.
 */
class LedgerAndPeriodTest {
  static final LocalDate MAR2 = LocalDate.of(2026, 3, 2);
  static final LocalDate MAR3 = LocalDate.of(2026, 3, 3);
  static final long T10 = Instant.parse("2026-03-02T10:00:00Z").toEpochMilli();

  RelationalStore store;
  Registry registry;
  final ListReader reader = new ListReader();
  LedgerService ledger;
  PeriodService periods;
  UsageService usage;

  static final class ListReader implements SampleReader {
    final List<long[]> rows = new CopyOnWriteArrayList<>();

    void block(long from, long to, long watts) {
      for (long t = from; t < to; t += 10_000L) {
        rows.add(new long[] {t, watts});
      }
    }

    @Override
    public ObservationSeries read(String instrumentId, long fromMillis, long toMillis) {
      ObservationSeries.Builder b = ObservationSeries.builder();
      rows.stream()
          .filter(r -> r[0] >= fromMillis && r[0] < toMillis)
          .sorted((a, c) -> Long.compare(a[0], c[0]))
          .forEach(r -> b.add(r[0], r[1], RunFlag.NONE, Quality.GOOD, true));
      return b.build();
    }

    @Override
    public boolean ping() {
      return true;
    }

    @Override
    public void close() {}
  }

  @BeforeEach
  void open() {
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
    reader.block(T10, T10 + 1_800_000L, 1000);
    reader.block(T10 + 1_800_000L, T10 + 3_600_000L, 100);
    Clock clock = Clock.fixed(Instant.parse("2026-04-01T00:00:00Z"), ZoneOffset.UTC);
    usage = new UsageService(registry, reader);
    ledger = new LedgerService(registry, usage, AttributionPolicy.DEFAULT, clock);
    periods = new PeriodService(registry, ledger, clock);
    new SessionRepository(store.dataSource())
        .insertAll(
            "nmr-1",
            List.of(
                // external user, 09:50-10:40: gets the whole ACTIVE half hour
                UsageSession.create(
                    b ->
                        b.id("S1")
                            .kind(SessionKind.BOOKING)
                            .start(T10 - 600_000L)
                            .end(T10 + 2_400_000L)
                            .user("Li Wei", "univ-b")),
                // internal user, 10:45-11:00: no ACTIVE time, a no-show
                UsageSession.create(
                    b ->
                        b.id("S2")
                            .kind(SessionKind.BOOKING)
                            .start(T10 + 2_700_000L)
                            .end(T10 + 3_600_000L)
                            .user("Zhang San", "inst-a"))),
            "test",
            Instant.parse("2026-03-05T00:00:00Z"));
  }

  @AfterEach
  void close() {
    store.close();
  }

  @Test
  void aDayHoldsTheEnginesNumbers() {
    LedgerDay d = ledger.recompute("nmr-1", MAR2);
    LedgerTotals t = d.totals();
    assertThat(t.activeMs()).isEqualTo(1_800_000L);
    assertThat(t.standbyMs()).isEqualTo(1_790_000L);
    assertThat(t.unknownMs()).isEqualTo(82_810_000L);
    assertThat(t.stateMillis()).isEqualTo(86_400_000L);
    assertThat(t.verifiedActiveMs()).isEqualTo(1_800_000L);
    assertThat(t.effectiveMs()).isEqualTo(1_800_000L);
    assertThat(t.externalMs()).isEqualTo(1_800_000L);
    assertThat(t.unbookedMs()).isZero();
    assertThat(t.sessions()).isEqualTo(2);
    assertThat(t.noShows()).isEqualTo(1);
    assertThat(d.deriveVersion()).isEqualTo("lm-derive/1");
    assertThat(d.attributionVersion()).isEqualTo("lm-attribute/1");
    assertThat(d.profileHash()).hasSize(64);
    assertThat(ledger.repository().days("nmr-1", MAR2, MAR2)).containsExactly(d);
    // recomputing unchanged data gives the same row hash
    assertThat(ledger.recompute("nmr-1", MAR2).rowHash()).isEqualTo(d.rowHash());
  }

  @Test
  void ledgerDaysAddUpToTheDerivationOfTheWholePeriod() {
    List<LedgerDay> days = ledger.recomputeRange("nmr-1", MAR2, MAR3);
    LedgerTotals sum = days.get(0).totals().plus(days.get(1).totals());
    var whole =
        usage
            .usage(
                "nmr-1",
                Instant.parse("2026-03-02T00:00:00Z"),
                Instant.parse("2026-03-04T00:00:00Z"))
            .orElseThrow()
            .usage()
            .durations();
    assertThat(sum.activeMs()).isEqualTo(whole.activeMillis()).isEqualTo(1_800_000L);
    assertThat(sum.standbyMs()).isEqualTo(whole.standbyMillis());
    assertThat(sum.unknownMs()).isEqualTo(whole.unknownMillis());
    assertThat(sum.stateMillis()).isEqualTo(2 * 86_400_000L);
    assertThat(days.get(1).totals().unknownMs()).isEqualTo(86_400_000L);
  }

  @Test
  void lateDataRecomputesOnlyOpenDaysAndACorrectionAddsVersion2() {
    periods.create("mar2", "2 March", MAR2, MAR2);
    periods.create("mar3", "3 March", MAR3, MAR3);
    Snapshot v1 = periods.close("mar2", "facility office");
    assertThat(v1.version()).isEqualTo(1);
    assertThat(v1.rows()).hasSize(1);
    assertThat(v1.totalsByInstrument().get("nmr-1").activeMs()).isEqualTo(1_800_000L);
    assertThat(periods.find("mar2").status()).isEqualTo(EvaluationPeriod.Status.CLOSED);
    ledger.recompute("nmr-1", MAR3);

    // an agent uploads 23:00:00-23:29:50 of 2 March days late: with the one-hour context margin
    // it can touch 2 March (closed: skipped) and 3 March (open: recomputed)
    long late = Instant.parse("2026-03-02T23:00:00Z").toEpochMilli();
    reader.block(late, late + 1_800_000L, 1000);
    assertThat(ledger.onLateSamples("nmr-1", late, late + 1_790_000L)).containsExactly(MAR3);
    assertThat(ledger.repository().days("nmr-1", MAR2, MAR2).get(0).totals().activeMs())
        .isEqualTo(1_800_000L);

    // a correction recomputes the closed day: ACTIVE 10:00-10:30 plus 23:00:00-23:29:50
    Snapshot v2 = periods.correct("mar2", "agent A-7 uploaded 2 March late", "auditor Wang");
    assertThat(v2.version()).isEqualTo(2);
    assertThat(v2.totalsByInstrument().get("nmr-1").activeMs()).isEqualTo(3_590_000L);
    assertThat(v2.hash()).isNotEqualTo(v1.hash());
    Snapshot again1 = periods.repository().snapshot("mar2", 1).orElseThrow();
    assertThat(again1.hash()).isEqualTo(v1.hash());
    assertThat(again1.rows()).isEqualTo(v1.rows());
    assertThat(Snapshot.hashOf("mar2", 1, again1.rows())).isEqualTo(v1.hash());
    Snapshot again2 = periods.repository().snapshot("mar2", 2).orElseThrow();
    assertThat(again2.reason()).isEqualTo("agent A-7 uploaded 2 March late");
    assertThat(again2.author()).isEqualTo("auditor Wang");
    assertThat(periods.repository().latestSnapshot("mar2").orElseThrow().version()).isEqualTo(2);
  }

  @Test
  void anExistingSnapshotVersionIsNeverOverwritten() {
    periods.create("mar2", "2 March", MAR2, MAR2);
    Snapshot v1 = periods.close("mar2", "facility office");
    Snapshot forged =
        new Snapshot("mar2", 1, "edit", "someone", v1.createdAt(), "0".repeat(64), List.of());
    assertThatThrownBy(() -> periods.repository().insertSnapshot(forged))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("immutable")
        .hasMessageContaining("next version is 2");
    assertThat(periods.repository().snapshot("mar2", 1).orElseThrow().hash()).isEqualTo(v1.hash());
    assertThatThrownBy(() -> periods.close("mar2", "again"))
        .isInstanceOf(PeriodException.class)
        .hasMessageContaining("correction");
    assertThatThrownBy(() -> periods.correct("mar2", " ", "auditor"))
        .isInstanceOf(PeriodException.class)
        .hasMessageContaining("reason");
  }

  @Test
  void windowsOfTheEvaluationRules() {
    Instant at = Instant.EPOCH;
    assertThat(EvaluationPeriod.calendarYear(2025, at).days()).isEqualTo(365);
    EvaluationPeriod jj = EvaluationPeriod.julyToJune(2025, at);
    assertThat(jj.from()).isEqualTo(LocalDate.of(2025, 7, 1));
    assertThat(jj.to()).isEqualTo(LocalDate.of(2026, 6, 30));
    assertThat(EvaluationPeriod.twoYears(2026, at).days()).isEqualTo(730);
  }
}
