package org.labmeter.metering.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.labmeter.metering.derive.DerivationProfile;
import org.labmeter.metering.registry.Facility;
import org.labmeter.metering.registry.Instrument;
import org.labmeter.metering.registry.Registry;
import org.labmeter.metering.registry.RelationalStore;

/**
 * Period sums through the monthly rollup equal the sums of the days. Instrument "a-1" has one row
 * per day from 2026-01-20 to 2026-04-10 with effective_ms = the day of the year (20 .. 100) and
 * sessions = 1; "b-1" of another facility has the same rows and must never count.
 */
class MonthRollupTest {
  RelationalStore store;
  LedgerRepository ledger;

  @BeforeEach
  void open() {
    store =
        RelationalStore.open("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "");
    Registry registry = new Registry(store.dataSource());
    registry.saveFacility(new Facility("fa", "A", "甲"));
    registry.saveFacility(new Facility("fb", "B", "乙"));
    DerivationProfile p =
        DerivationProfile.create(
            b ->
                b.offBelowW(1)
                    .onThresholdW(2)
                    .offThresholdW(1)
                    .minOn(Duration.ZERO)
                    .minOff(Duration.ZERO)
                    .maxSampleGap(Duration.ofSeconds(1)));
    registry.addInstrument(new Instrument("a-1", "fa", "a", "a", "m", "1"), p, Instant.EPOCH);
    registry.addInstrument(new Instrument("b-1", "fb", "b", "b", "m", "2"), p, Instant.EPOCH);
    ledger = new LedgerRepository(store.dataSource());
    for (LocalDate d = LocalDate.of(2026, 1, 20);
        !d.isAfter(LocalDate.of(2026, 4, 10));
        d = d.plusDays(1)) {
      put("a-1", d, d.getDayOfYear());
      put("b-1", d, d.getDayOfYear());
    }
  }

  @AfterEach
  void close() {
    store.close();
  }

  void put(String id, LocalDate d, long effective) {
    long[] v = new long[LedgerTotals.COLUMNS.size()];
    v[LedgerTotals.COLUMNS.indexOf("effective_ms")] = effective;
    v[LedgerTotals.COLUMNS.indexOf("sessions")] = 1;
    ledger.replaceDay(
        new LedgerDay(
            id, d, LedgerTotals.of(v), "lm-derive/1", "lm-attribute/1", "h", Instant.EPOCH),
        List.of());
  }

  /** Sum of day-of-year over [from, to] intersected with the rows present. */
  static long expected(LocalDate from, LocalDate to) {
    long sum = 0;
    for (LocalDate d = from; !d.isAfter(to); d = d.plusDays(1)) {
      if (!d.isBefore(LocalDate.of(2026, 1, 20)) && !d.isAfter(LocalDate.of(2026, 4, 10))) {
        sum += d.getDayOfYear();
      }
    }
    return sum;
  }

  @Test
  void wholeMonthsPartialMonthsAndSingleDaysAllAddUp() {
    for (LocalDate[] p :
        new LocalDate[][] {
          {LocalDate.of(2026, 1, 1), LocalDate.of(2026, 12, 31)},
          {LocalDate.of(2026, 2, 1), LocalDate.of(2026, 3, 31)},
          {LocalDate.of(2026, 1, 25), LocalDate.of(2026, 3, 5)},
          {LocalDate.of(2026, 2, 10), LocalDate.of(2026, 2, 20)},
          {LocalDate.of(2026, 3, 31), LocalDate.of(2026, 4, 1)},
        }) {
      PeriodSum s = ledger.sums("fa", p[0], p[1], "live", 0).get("a-1");
      assertThat(s.totals().effectiveMs())
          .as("%s .. %s", p[0], p[1])
          .isEqualTo(expected(p[0], p[1]));
      assertThat(s.days()).isEqualTo(s.totals().sessions());
    }
    // January 2026 holds days 20..31: 12 rows, 20 + ... + 31 = 306
    PeriodSum jan =
        ledger.sums("fa", LocalDate.of(2026, 1, 1), LocalDate.of(2026, 1, 31), "", 0).get("a-1");
    assertThat(jan.days()).isEqualTo(12);
    assertThat(jan.totals().effectiveMs()).isEqualTo(306);
  }

  @Test
  void rewritingADayRewritesItsMonth() {
    put("a-1", LocalDate.of(2026, 2, 14), 1_000_045); // was 45
    PeriodSum feb =
        ledger.sums("fa", LocalDate.of(2026, 2, 1), LocalDate.of(2026, 2, 28), "", 0).get("a-1");
    assertThat(feb.totals().effectiveMs())
        .isEqualTo(expected(LocalDate.of(2026, 2, 1), LocalDate.of(2026, 2, 28)) + 1_000_000);
    assertThat(feb.days()).isEqualTo(28);
  }
}
