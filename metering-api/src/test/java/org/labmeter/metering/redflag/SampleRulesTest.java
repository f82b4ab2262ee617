package org.labmeter.metering.redflag;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.OptionalDouble;
import java.util.function.IntToDoubleFunction;
import org.junit.jupiter.api.Test;
import org.labmeter.metering.derive.DerivationProfile;
import org.labmeter.metering.derive.ObservationSeries;
import org.labmeter.metering.derive.StateDeriver;
import org.labmeter.metering.derive.Usage;
import org.labmeter.metering.store.EnergyReading;
import org.labmeter.wire.Quality;
import org.labmeter.wire.RunFlag;

/**
 * The sample rules, by hand. A sample every minute; profile OFF below 10 W, ACTIVE from 800 W, back
 * at 500 W, no dwell times, 2 min gap limit. Day 0 is 2026-03-02 (UTC).
 */
class SampleRulesTest {
  static final long DAY0 = Instant.parse("2026-03-02T00:00:00Z").toEpochMilli();
  static final long MIN = 60_000L;
  static final long HOUR = 3_600_000L;
  static final long DAY = 86_400_000L;
  static final DerivationProfile PROFILE =
      DerivationProfile.create(
          b ->
              b.offBelowW(10)
                  .onThresholdW(800)
                  .offThresholdW(500)
                  .minOn(Duration.ZERO)
                  .minOff(Duration.ZERO)
                  .maxSampleGap(Duration.ofMinutes(2)));

  /** Per day: 08:00–10:00 standby at baseline W, 10:00 + activeH hours at activeW, then off. */
  static ObservationSeries days(int days, double[] baseline, double[] activeW, double activeH) {
    ObservationSeries.Builder b = ObservationSeries.builder();
    for (int d = 0; d < days; d++) {
      final int day = d;
      minutes(b, DAY0 + d * DAY, 8 * 60, m -> 0.0);
      minutes(b, DAY0 + d * DAY + 8 * HOUR, 120, m -> baseline[day] + (m % 5) - 2);
      int active = (int) Math.round(activeH * 60);
      minutes(b, DAY0 + d * DAY + 10 * HOUR, active, m -> activeW[day] + 40 * Math.sin(m));
      long rest = 14 * 60 - active;
      minutes(b, DAY0 + d * DAY + 10 * HOUR + active * MIN, (int) rest, m -> 0.0);
    }
    return b.build();
  }

  static void minutes(ObservationSeries.Builder b, long from, int n, IntToDoubleFunction watts) {
    for (int m = 0; m < n; m++) {
      b.add(from + m * MIN, watts.applyAsDouble(m), RunFlag.NONE, Quality.GOOD, true);
    }
  }

  static List<RedFlag> check(
      ObservationSeries s, int days, OptionalDouble norm, List<EnergyReading> e) {
    Usage u = StateDeriver.derive(PROFILE, s, DAY0, DAY0 + days * DAY);
    return SampleRules.check("i-1", s, u, e, norm, RedFlagPolicy.DEFAULTS);
  }

  static double[] same(int days, double w) {
    double[] v = new double[days];
    java.util.Arrays.fill(v, w);
    return v;
  }

  @Test
  void aNormalInstrumentRaisesNone() {
    // 5 days: standby about 100 W, 3 h at about 1000 W (±40 W), rising energy counter
    ObservationSeries s = days(5, same(5, 100), same(5, 1000), 3);
    List<EnergyReading> energy =
        List.of(new EnergyReading(DAY0, 10), new EnergyReading(DAY0 + DAY, 13.1));

    assertThat(check(s, 5, OptionalDouble.empty(), energy)).isEmpty();
    assertThat(check(s, 5, OptionalDouble.of(1.0), energy)).isEmpty();
  }

  @Test
  void fourHoursAtExactlyOneKilowattIsADummyLoad() {
    ObservationSeries.Builder b = ObservationSeries.builder();
    minutes(b, DAY0, 60, m -> 100.0);
    minutes(b, DAY0 + HOUR, 240, m -> 1000.0);
    minutes(b, DAY0 + 5 * HOUR, 60, m -> 100.0);

    List<RedFlag> flags = check(b.build(), 1, OptionalDouble.empty(), List.of());

    // two steady 2 h chunks [01:00, 03:00) and [03:00, 05:00), merged
    assertThat(flags)
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.rule()).isEqualTo(RedFlagRule.DUMMY_LOAD);
              assertThat(f.fromMillis()).isEqualTo(DAY0 + HOUR);
              assertThat(f.toMillis()).isEqualTo(DAY0 + 5 * HOUR);
              assertThat(f.observed().get("hours")).isEqualTo(4.0);
              assertThat(f.observed().get("meanW")).isEqualTo(1000.0);
              assertThat(f.observed().get("powerCv")).isEqualTo(0.0);
              assertThat(f.observed().get("samples")).isEqualTo(240.0);
              assertThat(f.thresholds().get("maxPowerCv")).isEqualTo(0.005);
            });
  }

  @Test
  void energyFarFromTheDeclaredNorm() {
    // one day, 2 h at about 3000 W: 3 kWh per ACTIVE hour against a declared 1.0
    ObservationSeries s = days(1, same(1, 100), same(1, 3000), 2);

    List<RedFlag> flags = check(s, 1, OptionalDouble.of(1.0), List.of());

    assertThat(flags)
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.rule()).isEqualTo(RedFlagRule.ENERGY_OFF_NORM);
              assertThat(f.fromMillis()).isEqualTo(DAY0);
              assertThat(f.toMillis()).isEqualTo(DAY0 + DAY);
              assertThat(f.observed().get("ratio"))
                  .isCloseTo(3.0, org.assertj.core.data.Offset.offset(0.01));
              assertThat(f.observed().get("activeHours")).isEqualTo(2.0);
            });
  }

  @Test
  void energyFarFromItsOwnMedianDay() {
    // days 0..3 at about 1 kW, day 4 at about 3 kW; the median day is 1 kWh per hour
    ObservationSeries s = days(5, same(5, 100), new double[] {1000, 1000, 1000, 1000, 3000}, 2);

    List<RedFlag> flags = check(s, 5, OptionalDouble.empty(), List.of());

    assertThat(flags).extracting(RedFlag::rule).containsExactly(RedFlagRule.ENERGY_OFF_NORM);
    assertThat(flags.get(0).fromMillis()).isEqualTo(DAY0 + 4 * DAY);
  }

  @Test
  void aJumpOfTheStandbyBaselineIsASignatureChange() {
    // standby 100 W on days 0 and 1, 300 W on day 2: +200 W, more than 20 W and 50 %
    ObservationSeries s = days(3, new double[] {100, 100, 300}, same(3, 1000), 3);

    List<RedFlag> flags = check(s, 3, OptionalDouble.empty(), List.of());

    assertThat(flags)
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.rule()).isEqualTo(RedFlagRule.SIGNATURE_CHANGE);
              assertThat(f.fromMillis()).isEqualTo(DAY0 + DAY);
              assertThat(f.toMillis()).isEqualTo(DAY0 + 3 * DAY);
              assertThat(f.observed().get("baselineBeforeW")).isEqualTo(100.0);
              assertThat(f.observed().get("baselineAfterW")).isEqualTo(300.0);
            });
  }

  @Test
  void anEnergyCounterThatFallsWasReset() {
    ObservationSeries s = days(1, same(1, 100), same(1, 1000), 3);
    List<EnergyReading> energy =
        List.of(
            new EnergyReading(DAY0 + HOUR, 10.0),
            new EnergyReading(DAY0 + 2 * HOUR, 10.5),
            new EnergyReading(DAY0 + 3 * HOUR, 0.2),
            new EnergyReading(DAY0 + 4 * HOUR, 0.195)); // within the 0.01 kWh tolerance

    List<RedFlag> flags = check(s, 1, OptionalDouble.empty(), energy);

    assertThat(flags)
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.rule()).isEqualTo(RedFlagRule.COUNTER_RESET);
              assertThat(f.fromMillis()).isEqualTo(DAY0 + 2 * HOUR);
              assertThat(f.toMillis()).isEqualTo(DAY0 + 3 * HOUR);
              assertThat(f.observed().get("dropKwh"))
                  .isCloseTo(10.3, org.assertj.core.data.Offset.offset(1e-9));
            });
  }
}
