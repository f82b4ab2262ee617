package org.labmeter.metering.derive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.labmeter.metering.derive.TestSeries.derive;
import static org.labmeter.metering.derive.TestSeries.profile;
import static org.labmeter.metering.derive.TestSeries.s;
import static org.labmeter.metering.derive.TestSeries.series;

import org.junit.jupiter.api.Test;
import org.labmeter.wire.Quality;
import org.labmeter.wire.RunFlag;

/** Verified time, coverage, evidence gaps and messy input; times in seconds. */
class EvidenceTest {

  @Test
  void unverifiedSamplesInsideARunLowerCoverageAndLeaveAGap() {
    // t: 0..50 every 10 s at 2000 W; samples 20 and 30 unverified; window [0, 60)
    // ACTIVE 60 s, of which [20, 40) = 20 s rests on unverified samples: coverage 40 / 60
    Usage u =
        derive(
            profile(0, 0, 20),
            series()
                .powers(0, 10, 2000, 2000)
                .unverified(20, 2000)
                .unverified(30, 2000)
                .powers(40, 10, 2000, 2000),
            0,
            60);

    assertThat(u.activeMillis()).isEqualTo(s(60));
    assertThat(u.verifiedActiveMillis()).isEqualTo(s(40));
    assertThat(u.coverage()).isCloseTo(2.0 / 3.0, within(1e-12));
    assertThat(u.evidenceGaps()).containsExactly(new EvidenceGap(s(20), s(40)));
    assertThat(u.sessions().get(0).verifiedActiveMillis()).isEqualTo(s(40));
    assertThat(u.timeline().get(0).verifiedMillis()).isEqualTo(s(40));
  }

  @Test
  void unverifiedTimeOutsideActiveIsNoEvidenceGap() {
    // t: 0 (100 W unverified) 10 (2000) 20 (100 W unverified); window [0, 30)
    // STANDBY time rests on unverified samples, ACTIVE [10,20) is verified: coverage 1, no gap
    Usage u =
        derive(
            profile(0, 0, 20), series().unverified(0, 100).w(10, 2000).unverified(20, 100), 0, 30);

    assertThat(u.coverage()).isEqualTo(1.0);
    assertThat(u.evidenceGaps()).isEmpty();
    assertThat(u.verifiedDurations()).isEqualTo(new StateDurations(0, 0, s(10), 0, 0));
  }

  @Test
  void noActiveTimeMeansFullCoverage() {
    Usage u = derive(profile(0, 0, 20), series().unverified(0, 100), 0, 10);

    assertThat(u.activeMillis()).isZero();
    assertThat(u.coverage()).isEqualTo(1.0);
  }

  @Test
  void outOfOrderAndDuplicatedInputGivesTheSameResult() {
    DerivationProfile p = profile(20, 20, 20);
    TestSeries ordered =
        series()
            .w(0, 100)
            .w(10, 2000)
            .unverified(20, 2000)
            .flag(30, 300, RunFlag.IDLE)
            .w(40, 2000)
            .sample(50, 900, RunFlag.NONE, Quality.SUSPECT, true)
            .w(60, 10);
    TestSeries messy =
        series()
            .w(40, 2000)
            .w(0, 100)
            .sample(50, 900, RunFlag.NONE, Quality.SUSPECT, true)
            .unverified(20, 2000)
            .w(10, 2000)
            .w(40, 2000) // a retried write
            .w(60, 10)
            .flag(30, 300, RunFlag.IDLE)
            .unverified(20, 2000); // and another

    assertThat(derive(p, messy, -5, 75)).isEqualTo(derive(p, ordered, -5, 75));
  }
}
