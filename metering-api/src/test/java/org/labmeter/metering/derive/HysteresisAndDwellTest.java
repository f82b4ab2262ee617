package org.labmeter.metering.derive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.labmeter.metering.derive.TestSeries.derive;
import static org.labmeter.metering.derive.TestSeries.profile;
import static org.labmeter.metering.derive.TestSeries.s;
import static org.labmeter.metering.derive.TestSeries.series;
import static org.labmeter.metering.derive.TestSeries.sessions;
import static org.labmeter.metering.derive.TestSeries.timeline;

import org.junit.jupiter.api.Test;

/** Profile throughout: OFF below 50 W, T_on 1000 W, T_off 500 W; times in seconds. */
class HysteresisAndDwellTest {

  @Test
  void valuesBetweenTheThresholdsKeepTheLevel() {
    // t:  0    10   20    30   40   50   60   70   | window [0, 80), maxGap 20
    // P:  100  800  1000  800  600  500  800  10
    // level: low (start), low (800 keeps), high (>= T_on), high, high, low (<= T_off), low, low
    // state: STANDBY STANDBY ACTIVE ACTIVE ACTIVE STANDBY STANDBY OFF (< 50 W)
    // the last sample holds to 80 because 80 - 70 <= maxGap
    Usage u =
        derive(
            profile(0, 0, 20),
            series().powers(0, 10, 100, 800, 1000, 800, 600, 500, 800, 10),
            0,
            80);

    assertThat(timeline(u))
        .containsExactly("STANDBY 0-20", "ACTIVE 20-50", "STANDBY 50-70", "OFF 70-80");
    assertThat(u.durations()).isEqualTo(new StateDurations(s(10), s(40), s(30), 0, 0));
    assertThat(sessions(u)).containsExactly("20-50");
    assertThat(u.coverage()).isEqualTo(1.0);
    assertThat(u.algorithmVersion()).isEqualTo("lm-derive/1");
    assertThat(u.parameterHash()).isEqualTo(profile(0, 0, 20).parameterHash());
  }

  @Test
  void shortDipIsMergedAndLongDipSplits() {
    // minOff 30 s.   t: 0    10   20  30  40   50   60  70  80  90  100  110 | window [0, 120)
    //                P: 2000 2000 100 100 2000 2000 100 100 100 100 2000 2000
    // raw: ACTIVE [0,20), STANDBY [20,40) = 20 s < 30 -> merged, ACTIVE [40,60),
    //      STANDBY [60,100) = 40 s -> stays, ACTIVE [100,120) (the live edge: 120 - 110 <= 20)
    Usage u =
        derive(
            profile(0, 30, 20),
            series()
                .powers(0, 10, 2000, 2000, 100, 100, 2000, 2000, 100, 100, 100, 100, 2000, 2000),
            0,
            120);

    assertThat(timeline(u)).containsExactly("ACTIVE 0-60", "STANDBY 60-100", "ACTIVE 100-120");
    assertThat(u.activeMillis()).isEqualTo(s(80));
    assertThat(sessions(u)).containsExactly("0-60", "100-120>");
  }

  @Test
  void dipOfExactlyMinOffIsNotMerged() {
    // minOff 30 s: the dip [10,40) lasts exactly 30 s, which is not shorter than minOff
    Usage u = derive(profile(0, 30, 20), series().powers(0, 10, 2000, 100, 100, 100, 2000), 0, 50);

    assertThat(timeline(u)).containsExactly("ACTIVE 0-10", "STANDBY 10-40", "ACTIVE 40-50");
  }

  @Test
  void blipShorterThanMinOnIsDropped() {
    // minOn 60 s.  t: 0   10  20   30   40   50  60  70..130 (7 x 2000)  140 | window [0, 150)
    // ACTIVE [20,50) = 30 s < 60 -> STANDBY (2000 W >= 50 W); ACTIVE [70,140) = 70 s kept;
    // 140: 10 W -> OFF up to 150
    Usage u =
        derive(
            profile(60, 0, 20),
            series()
                .powers(0, 10, 100, 100, 2000, 2000, 2000, 100, 100)
                .powers(70, 10, 2000, 2000, 2000, 2000, 2000, 2000, 2000, 10),
            0,
            150);

    assertThat(timeline(u)).containsExactly("STANDBY 0-70", "ACTIVE 70-140", "OFF 140-150");
    assertThat(u.durations()).isEqualTo(new StateDurations(s(10), s(70), s(70), 0, 0));
    assertThat(sessions(u)).containsExactly("70-140");
  }

  @Test
  void blipOfExactlyMinOnIsKept() {
    // minOn 20 s: ACTIVE [10,30) lasts exactly 20 s
    Usage u = derive(profile(20, 0, 20), series().powers(0, 10, 100, 2000, 2000, 100), 0, 40);

    assertThat(timeline(u)).containsExactly("STANDBY 0-10", "ACTIVE 10-30", "STANDBY 30-40");
  }

  @Test
  void dipsAreMergedBeforeBlipsAreDropped() {
    // minOn 30, minOff 20.  t: 0 10 20 30 40 50 | P: 100 2000 100 2000 100 100, window [0, 60)
    // dips: STANDBY [20,30) = 10 s between ACTIVE -> ACTIVE, giving ACTIVE [10,40) = 30 s;
    // blips: 30 s is not shorter than minOn, so it stays. Blips first would have dropped both.
    Usage u =
        derive(profile(30, 20, 20), series().powers(0, 10, 100, 2000, 100, 2000, 100, 100), 0, 60);

    assertThat(timeline(u)).containsExactly("STANDBY 0-10", "ACTIVE 10-40", "STANDBY 40-60");
  }

  @Test
  void dwellTimesUseTheWholeRunNotTheClippedOne() {
    // minOn 60.  ACTIVE [10,80) = 70 s in the series; the window [40, 60) sees only 20 s of it
    Usage u =
        derive(
            profile(60, 0, 20),
            series().powers(0, 10, 100, 2000, 2000, 2000, 2000, 2000, 2000, 2000, 100, 100),
            40,
            60);

    assertThat(timeline(u)).containsExactly("ACTIVE 40-60");
    assertThat(sessions(u)).containsExactly("<40-60>");
    assertThat(u.sessions().get(0).activeMillis()).isEqualTo(s(20));
  }

  @Test
  void emptyWindowHasNothing() {
    Usage u = derive(profile(0, 0, 20), series().powers(0, 10, 2000, 2000), 5, 5);

    assertThat(u.timeline()).isEmpty();
    assertThat(u.durations()).isEqualTo(StateDurations.ZERO);
    assertThat(u.coverage()).isEqualTo(1.0);
  }
}
