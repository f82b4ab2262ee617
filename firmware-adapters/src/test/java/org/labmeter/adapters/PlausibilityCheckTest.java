package org.labmeter.adapters;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PlausibilityCheckTest {
  private static final long HOUR = 3_600_000L;

  @Test
  void powerInsideTheRangePasses() {
    PlausibilityCheck range = PlausibilityCheck.powerRange(-20, 5000);
    Reading ok = new Reading.Value("power", 1520.5, "W");

    assertThat(range.check(0, ok)).isSameAs(ok);
    assertThat(range.check(0, new Reading.Value("power", 5000, "W")))
        .isInstanceOf(Reading.Value.class);
    assertThat(range.check(0, new Reading.Value("power", -20, "W")))
        .isInstanceOf(Reading.Value.class);
  }

  @Test
  void powerOutsideTheRangeIsRejected() {
    PlausibilityCheck range = PlausibilityCheck.powerRange(-20, 5000);

    assertThat(range.check(0, new Reading.Value("power", 7000, "W")))
        .isEqualTo(
            new Reading.Rejected("power 7000.0 W is outside the plausible range -20.0..5000.0 W"));
    assertThat(range.check(0, new Reading.Value("power", -500, "W")))
        .isInstanceOf(Reading.Rejected.class);
  }

  @Test
  void faultsAndRejectionsPassThrough() {
    Reading fault = new Reading.DeviceFault("timeout");

    assertThat(PlausibilityCheck.powerRange(0, 1).check(0, fault)).isSameAs(fault);
    assertThat(PlausibilityCheck.energyCounter(5).check(0, fault)).isSameAs(fault);
  }

  @Test
  void energyCounterAcceptsGrowthWithinThePowerLimit() {
    EnergyCounterCheck counter = PlausibilityCheck.energyCounter(5);

    assertThat(counter.check(0, kwh(100.0))).isEqualTo(kwh(100.0));
    // +4 kWh in one hour, limit 5 kWh per hour
    assertThat(counter.check(HOUR, kwh(104.0))).isEqualTo(kwh(104.0));
    // no change is fine (instrument off)
    assertThat(counter.check(2 * HOUR, kwh(104.0))).isEqualTo(kwh(104.0));
  }

  @Test
  void energyCounterRejectsAJumpAndKeepsItsBaseline() {
    EnergyCounterCheck counter = PlausibilityCheck.energyCounter(5);
    counter.check(0, kwh(100.0));

    // +1 kWh in 60 s; 5 kWh/h allows 5 * 60 / 3600 = 0.0833 kWh
    assertThat(counter.check(60_000, kwh(101.0)))
        .isEqualTo(
            new Reading.Rejected(
                "energy counter grew by 1.0 kWh in 60000 ms; at most 5.0 kWh per hour is"
                    + " plausible"));
    // measured against 100.0 at t=0, not against the rejected 101.0: +0.08 in 60 s passes
    assertThat(counter.check(60_000, kwh(100.08))).isEqualTo(kwh(100.08));
  }

  @Test
  void energyCounterRejectsGoingBackwardsUntilReset() {
    EnergyCounterCheck counter = PlausibilityCheck.energyCounter(5);
    counter.check(0, kwh(100.0));

    assertThat(counter.check(HOUR, kwh(12.5)))
        .isEqualTo(new Reading.Rejected("energy counter went backwards from 100.0 to 12.5 kWh"));
    assertThat(counter.check(2 * HOUR, kwh(12.6))).isInstanceOf(Reading.Rejected.class);

    counter.reset();
    assertThat(counter.check(2 * HOUR, kwh(12.6))).isEqualTo(kwh(12.6));
  }

  @Test
  void energyCounterRejectsTimeGoingBackwards() {
    EnergyCounterCheck counter = PlausibilityCheck.energyCounter(5);
    counter.check(HOUR, kwh(100.0));

    assertThat(counter.check(HOUR, kwh(100.0))).isInstanceOf(Reading.Rejected.class);
    assertThat(counter.check(0, kwh(100.0))).isInstanceOf(Reading.Rejected.class);
  }

  private static Reading kwh(double value) {
    return new Reading.Value("energy", value, "kWh");
  }
}
