package org.labmeter.metering.derive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.labmeter.metering.derive.TestSeries.derive;
import static org.labmeter.metering.derive.TestSeries.profile;
import static org.labmeter.metering.derive.TestSeries.s;
import static org.labmeter.metering.derive.TestSeries.series;
import static org.labmeter.metering.derive.TestSeries.sessions;
import static org.labmeter.metering.derive.TestSeries.timeline;

import org.junit.jupiter.api.Test;
import org.labmeter.wire.RunFlag;

/** The instrument's own run signal against power; times in seconds. */
class RunFlagTest {

  @Test
  void runningFlagOutranksLowPowerAndIsNeverABlip() {
    // minOn 60.  t: 0 (5 W RUNNING) 10 (NaN RUNNING) 20 (5 W, no flag); window [0, 30)
    // RUNNING is ACTIVE whatever the power, even missing; the 20 s run is shorter than minOn
    // but the flag forces it. 5 W without a flag is below offBelowW: OFF.
    Usage u =
        derive(
            profile(60, 0, 20),
            series().flag(0, 5, RunFlag.RUNNING).flag(10, Double.NaN, RunFlag.RUNNING).w(20, 5),
            0,
            30);

    assertThat(timeline(u)).containsExactly("ACTIVE 0-20", "OFF 20-30");
    assertThat(sessions(u)).containsExactly("0-20");
  }

  @Test
  void faultIsItsOwnStateAndResetsTheLevel() {
    // t: 0 (2000) 10 (2000 FAULT) 20 (800); window [0, 30)
    // after the FAULT interval the level restarts low, so 800 W (between thresholds) is STANDBY
    Usage u =
        derive(
            profile(0, 0, 20), series().w(0, 2000).flag(10, 2000, RunFlag.FAULT).w(20, 800), 0, 30);

    assertThat(timeline(u)).containsExactly("ACTIVE 0-10", "FAULT 10-20", "STANDBY 20-30");
    assertThat(u.durations()).isEqualTo(new StateDurations(0, s(10), s(10), s(10), 0));
  }

  @Test
  void faultIsNeverBridgedAsADip() {
    // minOff 30.  t: 0 (2000) 10 (FAULT) 20 (2000) 30 (800); window [0, 40)
    // the 10 s FAULT lies between ACTIVE intervals but is not OFF/STANDBY: two sessions
    Usage u =
        derive(
            profile(0, 30, 20),
            series().w(0, 2000).flag(10, 2000, RunFlag.FAULT).w(20, 2000).w(30, 800),
            0,
            40);

    assertThat(timeline(u)).containsExactly("ACTIVE 0-10", "FAULT 10-20", "ACTIVE 20-40");
    assertThat(sessions(u)).containsExactly("0-10", "20-40>");
  }

  @Test
  void idleFlagIsNeverActiveWhateverThePower() {
    // t: 0 (3000 IDLE) 10 (3000 IDLE) 20 (10 W IDLE) 30 (NaN IDLE); window [0, 40)
    // IDLE: OFF below 50 W, otherwise STANDBY, and STANDBY when power is missing
    Usage u =
        derive(
            profile(0, 0, 20),
            series()
                .flag(0, 3000, RunFlag.IDLE)
                .flag(10, 3000, RunFlag.IDLE)
                .flag(20, 10, RunFlag.IDLE)
                .flag(30, Double.NaN, RunFlag.IDLE),
            0,
            40);

    assertThat(timeline(u)).containsExactly("STANDBY 0-20", "OFF 20-30", "STANDBY 30-40");
    assertThat(u.activeMillis()).isZero();
  }

  @Test
  void idleDipIsNotMerged() {
    // minOff 30.  t: 0 (2000) 10 (2000 IDLE) 20 (2000); window [0, 30)
    // the 10 s IDLE stretch is a short dip between ACTIVE, but the instrument said it was idle.
    // The level follows power through it (2000 W: high), so 20 is ACTIVE again.
    Usage u =
        derive(
            profile(0, 30, 20),
            series().w(0, 2000).flag(10, 2000, RunFlag.IDLE).w(20, 2000),
            0,
            30);

    assertThat(timeline(u)).containsExactly("ACTIVE 0-10", "STANDBY 10-20", "ACTIVE 20-30");
  }
}
