package org.labmeter.metering.live;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.labmeter.metering.derive.DerivationProfile;
import org.labmeter.metering.derive.RunState;
import org.labmeter.metering.store.LatestSample;
import org.labmeter.metering.usage.LiveState;
import org.labmeter.wire.Quality;
import org.labmeter.wire.RunFlag;

/** Thresholds 10 / 500 / 800 W, 30 s to enter ACTIVE, 20 s to leave it, stale after 120 s. */
class LiveTrackerTest {
  static final DerivationProfile P =
      DerivationProfile.create(
          b ->
              b.offBelowW(10)
                  .onThresholdW(800)
                  .offThresholdW(500)
                  .minOn(Duration.ofSeconds(30))
                  .minOff(Duration.ofSeconds(20))
                  .maxSampleGap(Duration.ofSeconds(30)));
  static final long STALE = 120_000L;

  final LiveTracker t = new LiveTracker("nmr-1", "inst-a", P);

  void power(long s, double w) {
    t.offer(new LatestSample("nmr-1", s * 1000L, w, RunFlag.NONE, Quality.GOOD));
  }

  RunState at(long s) {
    return t.view(s * 1000L, STALE).state();
  }

  @Test
  void entersActiveOnlyAfterTheDwellAndBackdatesTheStart() {
    power(0, 100);
    assertThat(at(0)).isEqualTo(RunState.STANDBY); // first sample decides at once
    power(10, 900);
    assertThat(at(10)).isEqualTo(RunState.STANDBY); // high for 0 s of 30
    power(39, 900);
    assertThat(at(39)).isEqualTo(RunState.STANDBY); // 29 s
    power(40, 900);
    LiveView v = t.view(40_000L, STALE);
    assertThat(v.state()).isEqualTo(RunState.ACTIVE); // 30 s: in, since the first high sample
    assertThat(v.sinceMillis()).isEqualTo(10_000L);
  }

  @Test
  void hysteresisHoldsActiveBetweenTheThresholdsAndLeavesAfterMinOff() {
    power(0, 900);
    power(30, 900);
    assertThat(at(30)).isEqualTo(RunState.ACTIVE);
    power(40, 600); // between T_off (500) and T_on (800): still ACTIVE
    assertThat(at(40)).isEqualTo(RunState.ACTIVE);
    power(50, 5); // below T_off and below the OFF level
    power(69, 5);
    assertThat(at(69)).isEqualTo(RunState.ACTIVE); // 19 s of 20
    power(70, 5);
    assertThat(at(70)).isEqualTo(RunState.OFF);
    assertThat(t.view(70_000L, STALE).sinceMillis()).isEqualTo(50_000L);
  }

  @Test
  void runFlagOutranksPowerAndStaleTelemetryIsUnknownNeverOff() {
    t.offer(new LatestSample("nmr-1", 0, 5, RunFlag.FAULT, Quality.GOOD));
    assertThat(at(0)).isEqualTo(RunState.FAULT);
    power(10, 5);
    assertThat(at(10)).isEqualTo(RunState.OFF);
    assertThat(at(130)).isEqualTo(RunState.OFF); // 120 s old: still fresh
    LiveView stale = t.view(131_000L, STALE);
    assertThat(stale.state()).isEqualTo(RunState.UNKNOWN);
    assertThat(stale.fresh()).isFalse();
    assertThat(stale.sinceMillis()).isEqualTo(130_000L); // last sample + 120 s
    assertThat(stale.powerW()).isEqualTo(5.0); // the last reading stays visible
  }

  @Test
  void sendsOnStateChangesAndOnPowerMovesOfAtLeastOnePercent() {
    power(0, 100);
    LiveView a = t.view(0, STALE);
    assertThat(t.worthSending(a)).isTrue();
    t.markSent(a);
    power(1, 100.9); // 0.9 W: below max(1 W, 1 %)
    assertThat(t.worthSending(t.view(1000, STALE))).isFalse();
    power(2, 101.0); // 1.0 W
    assertThat(t.worthSending(t.view(2000, STALE))).isTrue();
    power(10, 100); // 10 s after the sent sample: re-sent so "last seen" moves
    assertThat(t.worthSending(t.view(10_000, STALE))).isTrue();
  }

  @Test
  void theFullDerivationSeedsTheStateAndWhenItBegan() {
    power(0, 100);
    power(100, 900); // one high sample after standby: the tracker alone would wait 30 s
    assertThat(at(100)).isEqualTo(RunState.STANDBY);
    // the derivation has seen the run since 40 s at that same sample
    t.seed(new LiveState(RunState.ACTIVE, 40_000L, 100_000L, 900, true));
    LiveView v = t.view(100_000L, STALE);
    assertThat(v.state()).isEqualTo(RunState.ACTIVE);
    assertThat(v.sinceMillis()).isEqualTo(40_000L);
    assertThat(t.seeded()).isTrue();
  }

  @Test
  void aSeedForAnOlderSampleOnlyMovesSinceBackWhenTheStatesAgree() {
    power(0, 5);
    power(60, 5);
    assertThat(t.view(60_000L, STALE).sinceMillis()).isEqualTo(0L);
    t.seed(new LiveState(RunState.ACTIVE, 10_000L, 50_000L, 900, true)); // other state, older
    assertThat(at(60)).isEqualTo(RunState.OFF);
  }
}
