package org.labmeter.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.labmeter.launcher.PostgresStoresTest.env;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.OptionalDouble;
import java.util.UUID;
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
import org.labmeter.metering.report.InstrumentReport;
import org.labmeter.metering.report.QuotaPolicy;
import org.labmeter.metering.report.QuotaRepository;
import org.labmeter.metering.report.ReportService;

/**
 * Migration V5 on a real PostgreSQL: quotas, monthly ledger sums and profile versions. One
 * special-purpose instrument (800 h) with 40 effective hours on 2026-01-31 and 40 on 2026-02-01:
 * the year's report reads both months from ledger_month, 80 h, utilisation 0.1; a window of 31
 * January only reads ledger_day.
 */
class PostgresEngineTest {
  @Test
  void quotasMonthlySumsAndProfileVersionsWorkOnPostgres() {
    String run = UUID.randomUUID().toString().substring(0, 8);
    String facility = "pg-fac-" + run;
    String id = "pg-sp-" + run;
    try (RelationalStore store =
        RelationalStore.open(
            env("LABMETER_TEST_PG_URL"),
            env("LABMETER_TEST_PG_USER"),
            env("LABMETER_TEST_PG_PASSWORD"))) {
      Registry registry = new Registry(store.dataSource());
      registry.saveFacility(new Facility(facility, "PG", null));
      DerivationProfile p =
          DerivationProfile.create(
              b ->
                  b.offBelowW(10)
                      .onThresholdW(800)
                      .offThresholdW(500)
                      .minOn(Duration.ZERO)
                      .minOff(Duration.ZERO)
                      .maxSampleGap(Duration.ofSeconds(30)));
      registry.addInstrument(
          new Instrument(id, facility, "SP", "专用", "m", "1"),
          p,
          Instant.parse("2026-01-01T00:00:00Z"));
      assertThat(
              registry
                  .addProfileVersion(
                      id,
                      DerivationProfile.create(b -> b.from(p).onThresholdW(900)),
                      Instant.parse("2026-03-01T00:00:00Z"))
                  .version())
          .isEqualTo(2);

      new QuotaRepository(store.dataSource())
          .save(
              new QuotaPolicy.InstrumentQuota(id, "SPECIAL_PURPOSE", OptionalDouble.empty()),
              Instant.now());
      LedgerRepository ledger = new LedgerRepository(store.dataSource());
      for (LocalDate d : List.of(LocalDate.of(2026, 1, 31), LocalDate.of(2026, 2, 1))) {
        long[] v = new long[LedgerTotals.COLUMNS.size()];
        v[LedgerTotals.COLUMNS.indexOf("effective_ms")] = 40 * 3_600_000L;
        ledger.replaceDay(
            new LedgerDay(
                id, d, LedgerTotals.of(v), "lm-derive/1", "lm-attribute/1", "h", Instant.now()),
            List.of());
      }
      String year = "pg-y-" + run;
      new PeriodRepository(store.dataSource())
          .insert(
              new EvaluationPeriod(
                  year,
                  year,
                  LocalDate.of(2026, 1, 1),
                  LocalDate.of(2026, 12, 31),
                  EvaluationPeriod.Status.OPEN,
                  Instant.now()));

      ReportService reports = new ReportService(registry);
      List<InstrumentReport> rows = reports.facility(facility, reports.period(year).orElseThrow());
      assertThat(rows)
          .singleElement()
          .satisfies(
              r -> {
                assertThat(r.effectiveHours()).isEqualTo(80.0);
                assertThat(r.quotaHours()).isEqualTo(800.0);
                assertThat(r.utilisation()).isEqualTo(0.1);
                assertThat(r.ledgerDays()).isEqualTo(2);
              });
      assertThat(
              ledger
                  .sums(facility, LocalDate.of(2026, 1, 31), LocalDate.of(2026, 1, 31), "", 0)
                  .get(id)
                  .totals()
                  .effectiveMs())
          .isEqualTo(40 * 3_600_000L);
    }
  }
}
