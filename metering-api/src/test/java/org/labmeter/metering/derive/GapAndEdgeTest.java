package org.labmeter.metering.derive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.labmeter.metering.derive.TestSeries.derive;
import static org.labmeter.metering.derive.TestSeries.profile;
import static org.labmeter.metering.derive.TestSeries.s;
import static org.labmeter.metering.derive.TestSeries.series;
import static org.labmeter.metering.derive.TestSeries.sessions;
import static org.labmeter.metering.derive.TestSeries.timeline;

import org.junit.jupiter.api.Test;
import org.labmeter.wire.Quality;
import org.labmeter.wire.RunFlag;

/** Holding, gaps, unavailable samples and the edges of the data; times in seconds. */
class GapAndEdgeTest {

  @Test
  void gapLongerThanMaxSampleGapIsUnknownAndSplitsTheRun() {
    // maxGap 20, minOff 30.  t: 0 10 20 | 45 55 65, all 2000 W; window [0, 75)
    // [20,45) is a 25 s gap > 20: UNKNOWN as a whole (not 20 s held + 5 s unknown), never OFF,
    // and a dip can't bridge it even though 25 s < minOff. Tail [65,75) holds (75 - 65 <= 20).
    Usage u =
        derive(
            profile(0, 30, 20),
            series().powers(0, 10, 2000, 2000, 2000).powers(45, 10, 2000, 2000, 2000),
            0,
            75);

    assertThat(timeline(u)).containsExactly("ACTIVE 0-20", "UNKNOWN 20-45", "ACTIVE 45-75");
    assertThat(u.durations()).isEqualTo(new StateDurations(0, 0, s(50), 0, s(25)));
    assertThat(sessions(u)).containsExactly("0-20", "45-75>");
    assertThat(u.verifiedDurations().unknownMillis()).isZero();
  }

  @Test
  void hysteresisRestartsLowAfterAGap() {
    // t: 0 (2000) 10 (2000) | gap to 40 | 40 (800) 50 (800); window [0, 60)
    // 800 W is between the thresholds: before the gap the level would have stayed high,
    // after it the level starts low, so [40,60) is STANDBY
    Usage u =
        derive(
            profile(0, 0, 20), series().powers(0, 10, 2000, 2000).powers(40, 10, 800, 800), 0, 60);

    assertThat(timeline(u)).containsExactly("ACTIVE 0-10", "UNKNOWN 10-40", "STANDBY 40-60");
  }

  @Test
  void gapOfExactlyMaxSampleGapHolds() {
    // t: 0, 20 (gap = maxGap 20: holds); window [0, 30): tail 30 - 20 = 10 holds
    Usage u = derive(profile(0, 0, 20), series().powers(0, 20, 2000, 2000), 0, 30);
    assertThat(timeline(u)).containsExactly("ACTIVE 0-30");

    // one millisecond more and the whole interval [0, 20.001) is UNKNOWN, not 20 s held + 1 ms
    ObservationSeries apart =
        ObservationSeries.builder()
            .add(0, 2000, RunFlag.NONE, Quality.GOOD, true)
            .add(20_001, 2000, RunFlag.NONE, Quality.GOOD, true)
            .build();
    Usage longer = StateDeriver.derive(profile(0, 0, 20), apart, 0, 30_000);
    assertThat(timeline(longer)).containsExactly("UNKNOWN 0-20.001", "ACTIVE 20.001-30");
  }

  @Test
  void unavailableAndEmptySamplesAreUnknown() {
    // t: 0 2000 | 10 UNAVAILABLE | 20 2000 | 30 NaN with flag NONE | 40 800 SUSPECT; window [0,50)
    // the level restarts low after each UNKNOWN interval: 2000 at 20 raises it again, 800 at 40
    // (SUSPECT counts like GOOD) finds it low after the NaN interval: STANDBY
    Usage u =
        derive(
            profile(0, 0, 20),
            series()
                .w(0, 2000)
                .unavailable(10)
                .w(20, 2000)
                .w(30, Double.NaN)
                .sample(40, 800, RunFlag.NONE, Quality.SUSPECT, true),
            0,
            50);

    assertThat(timeline(u))
        .containsExactly(
            "ACTIVE 0-10", "UNKNOWN 10-20", "ACTIVE 20-30", "UNKNOWN 30-40", "STANDBY 40-50");
    assertThat(sessions(u)).containsExactly("0-10", "20-30");
  }

  @Test
  void timeBeforeTheFirstSampleIsUnknown() {
    Usage u = derive(profile(0, 0, 20), series().powers(10, 10, 10, 10), -10, 30);

    assertThat(timeline(u)).containsExactly("UNKNOWN -10-10", "OFF 10-30");
    assertThat(derive(profile(0, 0, 20), series(), 0, 30).durations())
        .isEqualTo(new StateDurations(0, 0, 0, 0, s(30)));
  }

  @Test
  void liveEdgeHoldsTheLastSampleForUpToMaxSampleGap() {
    // samples 0, 10 at 2000 W; maxGap 20; the window's end decides the tail
    TestSeries running = series().powers(0, 10, 2000, 2000);

    // to = 30: 30 - 10 = 20 <= 20, the last sample holds to the end: still running
    Usage live = derive(profile(0, 0, 20), running, 0, 30);
    assertThat(timeline(live)).containsExactly("ACTIVE 0-30");
    assertThat(sessions(live)).containsExactly("0-30>");

    // to = 31: 21 > 20, all of [10, 31) is UNKNOWN and the session ended at 10
    Usage stale = derive(profile(0, 0, 20), running, 0, 31);
    assertThat(timeline(stale)).containsExactly("ACTIVE 0-10", "UNKNOWN 10-31");
    assertThat(sessions(stale)).containsExactly("0-10");
  }

  @Test
  void runAtTheLiveEdgeIsNotABlipButAFinishedShortRunIs() {
    // minOn 60: the open run [0, 30) at the live edge has no known end yet and is kept;
    // once the data is stale the run [0, 10) is complete, 10 s < 60, and becomes STANDBY
    TestSeries running = series().powers(0, 10, 2000, 2000);

    assertThat(timeline(derive(profile(60, 0, 20), running, 0, 30))).containsExactly("ACTIVE 0-30");
    assertThat(timeline(derive(profile(60, 0, 20), running, 0, 31)))
        .containsExactly("STANDBY 0-10", "UNKNOWN 10-31");
  }

  @Test
  void runCrossingTheWindowIsClipped() {
    // t: 0 (100) 10..70 (2000 x 7) 80 (100) 90 (100); ACTIVE [10, 80)
    TestSeries s = series().powers(0, 10, 100, 2000, 2000, 2000, 2000, 2000, 2000, 2000, 100, 100);

    // window [55, 95): the run began before it (inside a sample interval) and ends at 80
    Usage u = derive(profile(0, 0, 20), s, 55, 95);
    assertThat(timeline(u)).containsExactly("ACTIVE 55-80", "STANDBY 80-95");
    assertThat(sessions(u)).containsExactly("<55-80");
    assertThat(u.sessions().get(0).activeMillis()).isEqualTo(s(25));

    // window [20, 50): starts on a sample boundary inside the run and ends inside it
    assertThat(sessions(derive(profile(0, 0, 20), s, 20, 50))).containsExactly("<20-50>");

    // window [10, 80): exactly the run, which neither starts before nor ends after it
    assertThat(sessions(derive(profile(0, 0, 20), s, 10, 80))).containsExactly("10-80");
  }

  @Test
  void reversedWindowIsRefused() {
    assertThatThrownBy(() -> derive(profile(0, 0, 20), series(), 10, 5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("toMillis (5000) must not be before fromMillis (10000)");
  }
}
