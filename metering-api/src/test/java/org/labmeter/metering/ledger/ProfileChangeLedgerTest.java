package org.labmeter.metering.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.labmeter.metering.attribution.AttributionPolicy;
import org.labmeter.metering.derive.DerivationProfile;
import org.labmeter.metering.derive.ProfileSchedule;
import org.labmeter.metering.derive.ProfileSpan;
import org.labmeter.metering.derive.Usage;
import org.labmeter.metering.registry.Facility;
import org.labmeter.metering.registry.Instrument;
import org.labmeter.metering.registry.Registry;
import org.labmeter.metering.registry.RelationalStore;
import org.labmeter.metering.report.InstrumentReport;
import org.labmeter.metering.report.ReportService;
import org.labmeter.metering.usage.UsageService;

/**
 * A profile change in the middle of an evaluation period, by hand. Samples as in {@link
 * LedgerAndPeriodTest}: on 2026-03-02, 1 kW every 10 s from 10:00:00 to 10:29:50, then 100 W until
 * 10:59:50. Version 1 (from 1 January): T_on 800 W, T_off 500 W, dwell times and gap 30 s. Version
 * 2 applies from 10:15: the instrument turned out to idle at 1 kW, so T_on is 1,200 W and T_off
 * 1,100 W. At 10:15 version 2 takes over the high level, and 1 kW is at most its T_off: low.
 *
 * <p>2 March: ACTIVE 10:00–10:15 = 900,000 ms, STANDBY 10:15–10:59:50 = 2,690,000 ms, UNKNOWN the
 * other 82,810,000 ms. Version 1 throughout would have said 1,800,000 ms ACTIVE. 1 March is all
 * version 1, 3 March all version 2.
 */
class ProfileChangeLedgerTest {
  static final LocalDate MAR1 = LocalDate.of(2026, 3, 1);
  static final LocalDate MAR2 = LocalDate.of(2026, 3, 2);
  static final LocalDate MAR3 = LocalDate.of(2026, 3, 3);
  static final long T10 = LedgerAndPeriodTest.T10;
  static final Instant CHANGE = Instant.parse("2026-03-02T10:15:00Z");
  static final DerivationProfile V1 =
      DerivationProfile.create(
          b ->
              b.offBelowW(10)
                  .onThresholdW(800)
                  .offThresholdW(500)
                  .minOn(Duration.ofSeconds(30))
                  .minOff(Duration.ofSeconds(30))
                  .maxSampleGap(Duration.ofSeconds(30)));
  static final DerivationProfile V2 =
      DerivationProfile.create(b -> b.from(V1).onThresholdW(1200).offThresholdW(1100));

  RelationalStore store;
  Registry registry;
  final LedgerAndPeriodTest.ListReader reader = new LedgerAndPeriodTest.ListReader();
  LedgerService ledger;
  PeriodService periods;
  UsageService usage;

  @BeforeEach
  void open() {
    store =
        RelationalStore.open("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "");
    registry = new Registry(store.dataSource());
    registry.saveFacility(new Facility("inst-a", "Institute A", "甲研究所"));
    registry.addInstrument(
        new Instrument("nmr-1", "inst-a", "NMR 600", "核磁共振", "X600", "A-001"),
        V1,
        Instant.parse("2026-01-01T00:00:00Z"));
    assertThat(registry.addProfileVersion("nmr-1", V2, CHANGE).version()).isEqualTo(2);
    reader.block(T10, T10 + 1_800_000L, 1000);
    reader.block(T10 + 1_800_000L, T10 + 3_600_000L, 100);
    Clock clock = Clock.fixed(Instant.parse("2026-04-01T00:00:00Z"), ZoneOffset.UTC);
    usage = new UsageService(registry, reader);
    ledger = new LedgerService(registry, usage, AttributionPolicy.DEFAULT, clock);
    periods = new PeriodService(registry, ledger, clock);
  }

  @AfterEach
  void close() {
    store.close();
  }

  @Test
  void theDayOfTheChangeAppliesEachVersionToItsOwnPart() {
    LedgerDay d = ledger.recompute("nmr-1", MAR2);

    assertThat(d.totals().activeMs()).isEqualTo(900_000L);
    assertThat(d.totals().standbyMs()).isEqualTo(2_690_000L);
    assertThat(d.totals().unknownMs()).isEqualTo(82_810_000L);
    Usage u = usage.usage("nmr-1", start(MAR2), start(MAR3)).orElseThrow().usage();
    assertThat(u.profiles())
        .extracting(ProfileSpan::version, ProfileSpan::fromMillis, ProfileSpan::toMillis)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                1, start(MAR2).toEpochMilli(), CHANGE.toEpochMilli()),
            org.assertj.core.groups.Tuple.tuple(
                2, CHANGE.toEpochMilli(), start(MAR3).toEpochMilli()));
    assertThat(d.profileHash())
        .isEqualTo(ProfileSchedule.combinedHash(u.profiles()))
        .isNotIn(V1.parameterHash(), V2.parameterHash());
  }

  @Test
  void daysOnEitherSideNameTheirOwnVersion() {
    List<LedgerDay> days = ledger.recomputeRange("nmr-1", MAR1, MAR3);

    assertThat(days.get(0).profileHash()).isEqualTo(V1.parameterHash());
    assertThat(days.get(2).profileHash()).isEqualTo(V2.parameterHash());
  }

  @Test
  void thePeriodReportSumsTheSplitDays() {
    periods.create("mar", "March", MAR1, LocalDate.of(2026, 3, 31));
    ledger.recomputeRange("nmr-1", MAR1, MAR3);
    ReportService reports = new ReportService(registry, 1600);
    InstrumentReport r =
        reports.instrument(
            registry.instrument("nmr-1").orElseThrow(), reports.period("mar").orElseThrow());

    assertThat(r.totals().activeMs()).isEqualTo(900_000L);
    // the ledger days add up to the derivation of the three days as one window
    Usage whole = usage.usage("nmr-1", start(MAR1), start(MAR3.plusDays(1))).orElseThrow().usage();
    assertThat(whole.activeMillis()).isEqualTo(900_000L);
    assertThat(whole.profiles()).hasSize(2);
  }

  private static Instant start(LocalDate d) {
    return d.atStartOfDay(ZoneOffset.UTC).toInstant();
  }
}
