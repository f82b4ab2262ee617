package org.labmeter.metering.derive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.labmeter.metering.derive.TestSeries.s;
import static org.labmeter.metering.derive.TestSeries.series;
import static org.labmeter.metering.derive.TestSeries.sessions;
import static org.labmeter.metering.derive.TestSeries.timeline;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A profile change in the middle of a window, worked by hand.
 *
 * <p>Version 1 (the hand-worked profile): OFF below 50 W, T_on 1000 W, T_off 500 W, no dwell times,
 * max gap 20 s. Version 2 applies from 60 s: the facility found the instrument idles at about 1.1
 * kW and raised T_on to 1500 W and T_off to 1200 W.
 *
 * <pre>
 * t (s)  0    10   20    30    40    50    60    70    80    90    100   110
 * P (W)  100  100  1300  1300  1300  1300  1300  1300  1100  1300  2000  2000
 * ver    1    1    1     1     1     1     2     2     2     2     2     2
 * level  low  low  high  high  high  high  high  high  low   low   high  high
 * </pre>
 *
 * At 60 s version 2 takes over from the high level version 1 left: 1300 W lies between its T_off
 * and T_on, so the level stays high. 1100 W at 80 s is at most 1200 W: low. 1300 W at 90 s is still
 * between: stays low. Window [0, 120 s): STANDBY [0, 20), ACTIVE [20, 80), STANDBY [80, 100),
 * ACTIVE [100, 120): 80 s ACTIVE, 40 s STANDBY, and the run [20, 80) is one session across the
 * change. Version 1 throughout would give 100 s ACTIVE (it would call 1100 W running); version 2
 * throughout only 20 s.
 */
class ProfileChangeTest {
  static final DerivationProfile V1 = TestSeries.profile(0, 0, 20);
  static final DerivationProfile V2 =
      DerivationProfile.create(
          b -> b.from(V1).onThresholdW(1500).offThresholdW(1200).minOn(Duration.ZERO));
  static final ProfileSchedule SCHEDULE =
      new ProfileSchedule(
          List.of(
              new ProfileSchedule.Version(2, s(60), V2),
              new ProfileSchedule.Version(1, s(-3600), V1)));

  static ObservationSeries scenario() {
    return series()
        .powers(0, 10, 100, 100, 1300, 1300, 1300, 1300, 1300, 1300, 1100, 1300, 2000, 2000)
        .build();
  }

  @Test
  void eachVersionClassifiesItsOwnPartAndTheLevelCarriesAcross() {
    Usage u = StateDeriver.derive(SCHEDULE, scenario(), 0, s(120));

    assertThat(timeline(u))
        .containsExactly("STANDBY 0-20", "ACTIVE 20-80", "STANDBY 80-100", "ACTIVE 100-120");
    assertThat(u.activeMillis()).isEqualTo(s(80));
    assertThat(u.millis(RunState.STANDBY)).isEqualTo(s(40));
    assertThat(sessions(u)).containsExactly("20-80", "100-120>");
  }

  @Test
  void theResultNamesEveryVersionUsed() {
    Usage u = StateDeriver.derive(SCHEDULE, scenario(), 0, s(120));

    assertThat(u.profiles())
        .containsExactly(
            new ProfileSpan(0, s(60), 1, s(-3600), V1.parameterHash()),
            new ProfileSpan(s(60), s(120), 2, s(60), V2.parameterHash()));
    assertThat(u.parameterHash())
        .hasSize(64)
        .isNotIn(V1.parameterHash(), V2.parameterHash())
        .isEqualTo(ProfileSchedule.combinedHash(u.profiles()));
  }

  @Test
  void aWindowWithinOneVersionNamesOnlyThatVersion() {
    Usage before = StateDeriver.derive(SCHEDULE, scenario(), 0, s(60));
    Usage after = StateDeriver.derive(SCHEDULE, scenario(), s(60), s(120));

    assertThat(before.parameterHash()).isEqualTo(V1.parameterHash());
    assertThat(after.parameterHash()).isEqualTo(V2.parameterHash());
    assertThat(timeline(after)).containsExactly("ACTIVE 60-80", "STANDBY 80-100", "ACTIVE 100-120");
    assertThat(sessions(after)).containsExactly("<60-80", "100-120>");
  }

  @Test
  void thePartsAddUpToTheWholeWindow() {
    Usage whole = StateDeriver.derive(SCHEDULE, scenario(), 0, s(120));
    Usage before = StateDeriver.derive(SCHEDULE, scenario(), 0, s(60));
    Usage after = StateDeriver.derive(SCHEDULE, scenario(), s(60), s(120));

    assertThat(before.durations().plus(after.durations())).isEqualTo(whole.durations());
    assertThat(before.verifiedDurations().plus(after.verifiedDurations()))
        .isEqualTo(whole.verifiedDurations());
  }

  @Test
  void oneVersionIsExactlyTheSingleProfileDerivation() {
    Usage single = StateDeriver.derive(V1, scenario(), 0, s(120));
    Usage scheduled = StateDeriver.derive(ProfileSchedule.of(V1), scenario(), 0, s(120));

    assertThat(scheduled).isEqualTo(single);
    assertThat(single.activeMillis()).isEqualTo(s(100));
    assertThat(single.parameterHash()).isEqualTo(V1.parameterHash());
  }

  @Test
  void dwellTimesAreThoseOfTheVersionWhereTheRunStarts() {
    // version 2 from 40 s demands runs of 30 s; the 20 s run at 50..70 s starts under version 2
    DerivationProfile strict =
        DerivationProfile.create(b -> b.from(V1).minOn(Duration.ofSeconds(30)));
    ProfileSchedule schedule =
        new ProfileSchedule(
            List.of(
                new ProfileSchedule.Version(1, s(-3600), V1),
                new ProfileSchedule.Version(2, s(40), strict)));
    ObservationSeries blips =
        series().powers(0, 10, 2000, 2000, 100, 100, 100, 2000, 2000, 100, 100, 100).build();

    Usage u = StateDeriver.derive(schedule, blips, 0, s(100));

    // [0, 20) starts under version 1 (no minimum) and stays; [50, 70) is a blip under version 2
    assertThat(timeline(u)).containsExactly("ACTIVE 0-20", "STANDBY 20-100");
  }

  @Test
  void theSpansFollowTheRegistrysRule() {
    assertThat(SCHEDULE.at(s(59)).version()).isEqualTo(1);
    assertThat(SCHEDULE.at(s(60)).version()).isEqualTo(2);
    assertThat(SCHEDULE.at(s(-7200)).version()).as("before every version: the oldest").isEqualTo(1);
    assertThat(SCHEDULE.spans(s(70), s(70)))
        .containsExactly(new ProfileSpan(s(70), s(70), 2, s(60), V2.parameterHash()));
  }
}
