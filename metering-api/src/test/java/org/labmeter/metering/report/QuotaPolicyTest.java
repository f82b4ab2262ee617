package org.labmeter.metering.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.labmeter.metering.derive.DerivationProfile;
import org.labmeter.metering.ledger.EvaluationPeriod;
import org.labmeter.metering.ledger.LedgerDay;
import org.labmeter.metering.ledger.LedgerRepository;
import org.labmeter.metering.ledger.LedgerTotals;
import org.labmeter.metering.ledger.PeriodRepository;
import org.labmeter.metering.registry.Facility;
import org.labmeter.metering.registry.Instrument;
import org.labmeter.metering.registry.Registry;
import org.labmeter.metering.registry.RelationalStore;

/**
 * Quotas from the store (migration V5). Three instruments, each with 80 effective hours on
 * 2026-03-02: "sp-1" is special-purpose (800 h), "own-1" is general with its own 2,000 h, "nat-1"
 * has no setting (national, 1,600 h). Calendar year 2026: utilisation 80/800 = 0.1, 80/2000 = 0.04,
 * 80/1600 = 0.05. First half 2026 (181 of 365 days): the quota of sp-1 is 800 × 181/365.
 */
class QuotaPolicyTest {
  static final long H80 = 80 * 3_600_000L;

  RelationalStore store;
  Registry registry;

  @BeforeEach
  void open() {
    store =
        RelationalStore.open("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "");
    registry = new Registry(store.dataSource());
    registry.saveFacility(new Facility("inst-a", "Institute A", "甲研究所"));
    DerivationProfile p =
        DerivationProfile.create(
            b ->
                b.offBelowW(10)
                    .onThresholdW(800)
                    .offThresholdW(500)
                    .minOn(Duration.ZERO)
                    .minOff(Duration.ZERO)
                    .maxSampleGap(Duration.ofSeconds(30)));
    LedgerRepository ledger = new LedgerRepository(store.dataSource());
    for (String id : List.of("nat-1", "own-1", "sp-1")) {
      registry.addInstrument(
          new Instrument(id, "inst-a", id, id, "m", id), p, Instant.parse("2026-01-01T00:00:00Z"));
      long[] v = new long[LedgerTotals.COLUMNS.size()];
      v[LedgerTotals.COLUMNS.indexOf("effective_ms")] = H80;
      ledger.replaceDay(
          new LedgerDay(
              id,
              LocalDate.of(2026, 3, 2),
              LedgerTotals.of(v),
              "lm-derive/1",
              "lm-attribute/1",
              p.parameterHash(),
              Instant.parse("2026-03-03T00:00:00Z")),
          List.of());
    }
    QuotaRepository quotas = new QuotaRepository(store.dataSource());
    Instant now = Instant.parse("2026-03-03T00:00:00Z");
    quotas.save(
        new QuotaPolicy.InstrumentQuota("sp-1", "SPECIAL_PURPOSE", OptionalDouble.empty()), now);
    quotas.save(new QuotaPolicy.InstrumentQuota("own-1", "GENERAL", OptionalDouble.of(2000)), now);
    PeriodRepository periods = new PeriodRepository(store.dataSource());
    periods.insert(period("y2026", LocalDate.of(2026, 1, 1), LocalDate.of(2026, 12, 31)));
    periods.insert(period("h1", LocalDate.of(2026, 1, 1), LocalDate.of(2026, 6, 30)));
  }

  @AfterEach
  void close() {
    store.close();
  }

  static EvaluationPeriod period(String id, LocalDate from, LocalDate to) {
    return new EvaluationPeriod(
        id, id, from, to, EvaluationPeriod.Status.OPEN, Instant.parse("2026-01-01T00:00:00Z"));
  }

  @Test
  void theStoredDefaultsAreTheNationalAndUniversityQuotas() {
    QuotaPolicy p = new QuotaRepository(store.dataSource()).load();

    assertThat(p.categories())
        .isEqualTo(Map.of("NATIONAL", 1600.0, "GENERAL", 1400.0, "SPECIAL_PURPOSE", 800.0));
    assertThat(p.hoursPerYear("nat-1")).isEqualTo(1600.0);
    assertThat(p.hoursPerYear("sp-1")).isEqualTo(800.0);
    assertThat(p.hoursPerYear("own-1")).isEqualTo(2000.0);
    assertThat(p.categoryOf("own-1")).isEqualTo("GENERAL");
  }

  @Test
  void utilisationDividesByEachInstrumentsQuota() {
    ReportService reports = new ReportService(registry);
    EvaluationPeriod year = reports.period("y2026").orElseThrow();

    List<InstrumentReport> rows = reports.facility("inst-a", year);

    assertThat(rows)
        .extracting(InstrumentReport::instrumentId)
        .containsExactly("nat-1", "own-1", "sp-1");
    assertThat(rows)
        .extracting(InstrumentReport::quotaHours)
        .containsExactly(1600.0, 2000.0, 800.0);
    assertThat(rows).extracting(InstrumentReport::utilisation).containsExactly(0.05, 0.04, 0.1);
    InstrumentReport one = reports.instrument(registry.instrument("sp-1").orElseThrow(), year);
    assertThat(one).isEqualTo(rows.get(2));
  }

  @Test
  void aPartYearGetsTheShareOfItsDays() {
    ReportService reports = new ReportService(registry);
    InstrumentReport r =
        reports.instrument(
            registry.instrument("sp-1").orElseThrow(), reports.period("h1").orElseThrow());

    assertThat(r.quotaHours()).isEqualTo(800.0 * 181 / 365);
  }

  @Test
  void aFixedQuotaOverridesTheStoredPolicy() {
    ReportService reports = new ReportService(registry, 1000);
    EvaluationPeriod year = reports.period("y2026").orElseThrow();

    assertThat(reports.facility("inst-a", year))
        .extracting(InstrumentReport::quotaHours)
        .containsOnly(1000.0);
  }

  @Test
  void badSettingsAreRefusedNamingTheField() {
    QuotaRepository quotas = new QuotaRepository(store.dataSource());
    assertThatThrownBy(
            () ->
                quotas.save(
                    new QuotaPolicy.InstrumentQuota("sp-1", "HUGE", OptionalDouble.empty()),
                    Instant.EPOCH))
        .hasMessageContaining("instrument_quota.category of sp-1 is 'HUGE'")
        .hasMessageContaining("[GENERAL, NATIONAL, SPECIAL_PURPOSE]");
    assertThatThrownBy(
            () -> new QuotaPolicy.InstrumentQuota("sp-1", "GENERAL", OptionalDouble.of(9000)))
        .hasMessageContaining("instrument_quota.hours_per_year of sp-1")
        .hasMessageContaining("at most 8784");
    assertThatThrownBy(() -> new QuotaPolicy(Map.of("GENERAL", 1400.0), Map.of()))
        .hasMessageContaining("must hold category NATIONAL");
    assertThatThrownBy(() -> new QuotaPolicy(Map.of("NATIONAL", 0.0), Map.of()))
        .hasMessageContaining("quota_category.hours_per_year of NATIONAL");
  }
}
