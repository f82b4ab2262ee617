package org.labmeter.metering.redflag;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.labmeter.metering.ledger.LedgerDay;
import org.labmeter.metering.ledger.LedgerTotals;

/** The ledger rules, by hand, over ledger rows written out here. */
class LedgerRulesTest {
  static final long H = 3_600_000L;
  static final LocalDate Y1 = LocalDate.of(2025, 1, 1);
  static final LocalDate Y31 = LocalDate.of(2025, 12, 31);

  static LedgerDay day(LocalDate d, double activeH, double unbookedH, double externalH) {
    long[] v = new long[LedgerTotals.COLUMNS.size()];
    v[LedgerTotals.COLUMNS.indexOf("active_ms")] = Math.round(activeH * H);
    v[LedgerTotals.COLUMNS.indexOf("unbooked_ms")] = Math.round(unbookedH * H);
    v[LedgerTotals.COLUMNS.indexOf("external_ms")] = Math.round(externalH * H);
    v[LedgerTotals.COLUMNS.indexOf("effective_ms")] = Math.round((activeH - unbookedH) * H);
    return new LedgerDay(
        "i-1", d, LedgerTotals.of(v), "lm-derive/1", "lm-attribute/1", "h", Instant.EPOCH);
  }

  @Test
  void aNormalYearRaisesNone() {
    // 6 h ACTIVE a day, half an hour unbooked, one external hour: nothing stands out
    List<LedgerDay> days = new ArrayList<>();
    for (LocalDate d = Y1; !d.isAfter(Y31); d = d.plusDays(1)) {
      days.add(day(d, 6, 0.5, 1));
    }
    assertThat(LedgerRules.check("i-1", days, Y1, Y31, RedFlagPolicy.DEFAULTS)).isEmpty();
  }

  @Test
  void threeDaysOfAtLeast23HoursAreAroundTheClock() {
    List<LedgerDay> days =
        List.of(
            day(LocalDate.of(2025, 3, 1), 23.5, 0, 0),
            day(LocalDate.of(2025, 3, 2), 23.5, 0, 0),
            day(LocalDate.of(2025, 3, 3), 23.5, 0, 0),
            day(LocalDate.of(2025, 3, 4), 22, 0, 0), // breaks the run
            day(LocalDate.of(2025, 3, 5), 24, 0, 0),
            day(LocalDate.of(2025, 3, 6), 24, 0, 0));

    List<RedFlag> flags = LedgerRules.aroundTheClock("i-1", days, RedFlagPolicy.DEFAULTS);

    assertThat(flags)
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.rule()).isEqualTo(RedFlagRule.AROUND_THE_CLOCK);
              assertThat(f.fromMillis())
                  .isEqualTo(Instant.parse("2025-03-01T00:00:00Z").toEpochMilli());
              assertThat(f.toMillis())
                  .isEqualTo(Instant.parse("2025-03-04T00:00:00Z").toEpochMilli());
              assertThat(f.observed().get("days")).isEqualTo(3.0);
              assertThat(f.observed().get("activeHours")).isEqualTo(70.5);
              assertThat(f.observed().get("leastActiveHoursInADay")).isEqualTo(23.5);
              assertThat(f.thresholds().get("minActiveHoursPerDay")).isEqualTo(23.0);
            });
  }

  @Test
  void aMissingDayBreaksTheRun() {
    List<LedgerDay> days =
        List.of(
            day(LocalDate.of(2025, 3, 1), 24, 0, 0),
            day(LocalDate.of(2025, 3, 2), 24, 0, 0),
            day(LocalDate.of(2025, 3, 4), 24, 0, 0));
    assertThat(LedgerRules.aroundTheClock("i-1", days, RedFlagPolicy.DEFAULTS)).isEmpty();
  }

  @Test
  void fortyPercentUnbookedIsFlaggedOnceThereAreTenActiveHours() {
    // 20 h ACTIVE, 8 h of it unbooked: 0.4 > 0.3
    List<LedgerDay> days =
        List.of(day(LocalDate.of(2025, 3, 1), 10, 4, 0), day(LocalDate.of(2025, 3, 2), 10, 4, 0));
    List<RedFlag> flags =
        LedgerRules.check(
            "i-1",
            days,
            LocalDate.of(2025, 3, 1),
            LocalDate.of(2025, 3, 2),
            RedFlagPolicy.DEFAULTS);
    assertThat(flags)
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.rule()).isEqualTo(RedFlagRule.UNBOOKED_ACTIVE);
              assertThat(f.observed().get("unbookedShare")).isEqualTo(0.4);
              assertThat(f.observed().get("activeHours")).isEqualTo(20.0);
            });
    // 9 h ACTIVE, all unbooked: too little time to judge
    assertThat(
            LedgerRules.check(
                "i-1",
                List.of(day(LocalDate.of(2025, 3, 1), 9, 9, 0)),
                LocalDate.of(2025, 3, 1),
                LocalDate.of(2025, 3, 1),
                RedFlagPolicy.DEFAULTS))
        .isEmpty();
  }

  @Test
  void externalHoursBunchedInTheLastFourWeeks() {
    // 10 h in June, 15 h on 10 December; the last 4 weeks of 2025 are 4..31 December
    List<LedgerDay> days =
        List.of(
            day(LocalDate.of(2025, 6, 1), 10, 0, 10), day(LocalDate.of(2025, 12, 10), 15, 0, 15));

    List<RedFlag> flags = LedgerRules.check("i-1", days, Y1, Y31, RedFlagPolicy.DEFAULTS);

    assertThat(flags)
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.rule()).isEqualTo(RedFlagRule.DEADLINE_BUNCHING);
              assertThat(f.fromMillis())
                  .isEqualTo(Instant.parse("2025-12-04T00:00:00Z").toEpochMilli());
              assertThat(f.toMillis())
                  .isEqualTo(Instant.parse("2026-01-01T00:00:00Z").toEpochMilli());
              assertThat(f.observed().get("share")).isEqualTo(0.6);
              assertThat(f.observed().get("externalHours")).isEqualTo(25.0);
              assertThat(f.thresholds().get("maxShare")).isEqualTo(0.4);
            });
  }

  @Test
  void thePolicyRefusesBadValuesNamingTheField() {
    assertThatThrownBy(() -> RedFlagPolicy.create(b -> b.aroundTheClock(Duration.ofHours(25), 3)))
        .hasMessageContaining("aroundTheClockMinActive must be at most 24 h");
    assertThatThrownBy(() -> RedFlagPolicy.create(b -> b.unbooked(1.5, Duration.ofHours(1))))
        .hasMessageContaining("unbookedMaxShare must be a fraction");
    assertThatThrownBy(() -> RedFlagPolicy.create(b -> b.deadline(0, 0.4, Duration.ofHours(1))))
        .hasMessageContaining("deadlineWeeks must be between 1 and 26");
    assertThatThrownBy(() -> RedFlagPolicy.create(b -> b.energy(1.0, Duration.ofHours(1))))
        .hasMessageContaining("energyMaxRatio must be a finite number above 1");
    assertThatThrownBy(() -> RedFlagPolicy.create(b -> b.dummyLoad(Duration.ZERO, 0.01)))
        .hasMessageContaining("dummyLoadMinStretch must be a positive duration");
  }
}
