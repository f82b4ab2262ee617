package org.labmeter.agent.simulate;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.labmeter.wire.Quality;
import org.labmeter.wire.RunFlag;
import org.labmeter.wire.Sample;

class InstrumentSimulatorTest {
  private static final long START = Instant.parse("2026-03-02T00:00:00Z").toEpochMilli();
  private static final long HOUR = 3_600_000;

  @Test
  void sameSeedSameHistoryWhateverTheQueryOrder() {
    InstrumentSimulator a = new InstrumentSimulator(SimulatorKind.NMR, 42, Pace.COMPRESSED);
    InstrumentSimulator b = new InstrumentSimulator(SimulatorKind.NMR, 42, Pace.COMPRESSED);

    List<Sample> forward = new ArrayList<>();
    for (long t = START; t < START + 2 * HOUR; t += 7_000) {
      forward.add(a.sampleAt(t));
    }
    List<Sample> backward = new ArrayList<>();
    for (long t = START + 2 * HOUR - 1 - (2 * HOUR - 1) % 7_000; t >= START; t -= 7_000) {
      backward.add(0, b.sampleAt(t));
    }
    assertThat(backward).isEqualTo(forward);
    assertThat(b.groundTruthActive(START, START + 2 * HOUR))
        .isEqualTo(a.groundTruthActive(START, START + 2 * HOUR));
  }

  @Test
  void otherSeedsGiveOtherHistories() {
    InstrumentSimulator a = new InstrumentSimulator(SimulatorKind.NMR, 1, Pace.NORMAL);
    InstrumentSimulator b = new InstrumentSimulator(SimulatorKind.NMR, 2, Pace.NORMAL);

    assertThat(a.groundTruthActive(START, START + 24 * HOUR))
        .isNotEqualTo(b.groundTruthActive(START, START + 24 * HOUR));
  }

  @Test
  void compressedPaceFitsSeveralRunsIntoAnHour() {
    InstrumentSimulator sim = new InstrumentSimulator(SimulatorKind.ICP_MS, 3, Pace.COMPRESSED);

    List<Interval> runs = sim.groundTruthActive(START, START + 24 * HOUR);

    assertThat(runs.size()).isGreaterThan(2 * 24);
    assertThat(runs)
        .allSatisfy(
            r ->
                assertThat(r.durationMillis())
                    .isBetween(Duration.ofMinutes(3).toMillis(), Duration.ofMinutes(8).toMillis()));
  }

  @Test
  void normalPaceRunsLastMinutesToAnHour() {
    InstrumentSimulator sim =
        new InstrumentSimulator(SimulatorKind.MASS_SPECTROMETER, 3, Pace.NORMAL);

    List<Interval> runs = sim.groundTruthActive(START, START + 7 * 24 * HOUR);

    assertThat(runs).hasSizeGreaterThan(7 * 5);
    assertThat(runs)
        .allSatisfy(
            r ->
                assertThat(r.durationMillis())
                    .isBetween(
                        Duration.ofMinutes(5).toMillis(), Duration.ofMinutes(60).toMillis()));
  }

  @ParameterizedTest
  @EnumSource(SimulatorKind.class)
  void groundTruthAgreesWithSamplesAndRecommendedThresholds(SimulatorKind kind) {
    for (Pace pace : Pace.values()) {
      for (long seed = 1; seed <= 3; seed++) {
        checkAgainstThresholds(new InstrumentSimulator(kind, seed, pace), 1_000, 24 * HOUR);
      }
    }
  }

  /**
   * Every sample inside a RUN interval is above T_on except dips, and each stretch of such samples
   * lasts less than minOff; every sample outside is below T_off except spikes, each shorter than
   * minOn. A stretch is measured from its first sample to the first sample after it.
   */
  private static void checkAgainstThresholds(InstrumentSimulator sim, long period, long span) {
    SimulatorKind kind = sim.kind();
    List<Interval> truth = sim.groundTruthActive(START, START + span);
    assertThat(truth).isNotEmpty();
    int next = 0;
    long exceptionStart = Long.MIN_VALUE;
    boolean exceptionInRun = false;
    for (long t = START; t < START + span; t += period) {
      while (next < truth.size() && truth.get(next).toMillis() <= t) {
        next++;
      }
      boolean inRun = next < truth.size() && truth.get(next).contains(t);
      assertThat(sim.stateAt(t) == InstrumentState.RUN).isEqualTo(inRun);
      double power = sim.sampleAt(t).powerW();
      boolean exception = inRun ? power <= kind.onThresholdW() : power >= kind.offThresholdW();
      if (exception && exceptionStart == Long.MIN_VALUE) {
        exceptionStart = t;
        exceptionInRun = inRun;
      } else if (exceptionStart != Long.MIN_VALUE && (!exception || inRun != exceptionInRun)) {
        long length = t - exceptionStart;
        Duration limit = exceptionInRun ? kind.minOff() : kind.minOn();
        assertThat(length)
            .as(
                "%s %s seed %d: %s at %d",
                kind, sim.pace(), sim.seed(), exceptionInRun ? "dip" : "spike", exceptionStart)
            .isLessThan(limit.toMillis());
        exceptionStart = exception ? t : Long.MIN_VALUE;
        exceptionInRun = inRun;
      }
    }
  }

  @Test
  void runsAreSeparatedByMoreThanMinOff() {
    for (SimulatorKind kind : SimulatorKind.values()) {
      List<Interval> runs =
          new InstrumentSimulator(kind, 9, Pace.COMPRESSED)
              .groundTruthActive(START, START + 48 * HOUR);
      for (int i = 1; i < runs.size(); i++) {
        assertThat(runs.get(i).fromMillis() - runs.get(i - 1).toMillis())
            .isGreaterThan(2 * kind.minOff().toMillis());
      }
    }
  }

  @Test
  void nmrDrawsNearlyAsMuchOnStandbyAsWhenRunning() {
    SimulatorKind nmr = SimulatorKind.NMR;

    assertThat(nmr.standbyPowerW() / nmr.runPowerW()).isEqualTo(0.8);
    assertThat(nmr.offThresholdW()).isGreaterThan(nmr.standbyPowerW() * 1.03);
    assertThat(nmr.onThresholdW()).isLessThan(nmr.runPowerW() * 0.97);
  }

  @Test
  void levelsAndNoiseStayWithinTheThresholds() {
    for (SimulatorKind kind : SimulatorKind.values()) {
      double noise = SimulatorKind.NOISE;
      assertThat(kind.nominalPowerW(InstrumentState.RUN) * (1 - noise))
          .isGreaterThan(kind.onThresholdW());
      for (InstrumentState state :
          List.of(InstrumentState.STANDBY, InstrumentState.WARMUP, InstrumentState.IDLE)) {
        assertThat(kind.nominalPowerW(state) * (1 + noise)).isLessThan(kind.offThresholdW());
        assertThat(kind.nominalPowerW(state) * (1 - noise)).isGreaterThan(kind.offBelowW());
      }
      assertThat(kind.nominalPowerW(InstrumentState.OFF) * (1 + noise))
          .isLessThan(kind.offBelowW());
      assertThat(kind.offThresholdW()).isLessThan(kind.onThresholdW());
      assertThat(kind.maxSampleGap(Duration.ofSeconds(1))).isEqualTo(Duration.ofSeconds(5));
    }
  }

  @Test
  void energyCounterGrowsWithPowerAndNeverResets() {
    InstrumentSimulator sim =
        new InstrumentSimulator(SimulatorKind.ELECTRON_MICROSCOPE, 5, Pace.NORMAL);
    double previous = sim.sampleAt(START).energyKwh();
    double integrated = 0;
    long step = 10_000;
    for (long t = START + step; t <= START + 24 * HOUR; t += step) {
      Sample s = sim.sampleAt(t);
      assertThat(s.energyKwh()).isGreaterThanOrEqualTo(previous);
      integrated += s.powerW() * step / 3.6e9;
      previous = s.energyKwh();
    }
    double counted = previous - sim.sampleAt(START).energyKwh();
    // the counter integrates nominal power, the sum integrates noisy samples: within 3 % + edges
    assertThat(counted).isCloseTo(integrated, org.assertj.core.data.Percentage.withPercentage(4));
    // a new simulator (an agent restart) reads the same counter
    assertThat(
            new InstrumentSimulator(SimulatorKind.ELECTRON_MICROSCOPE, 5, Pace.NORMAL)
                .sampleAt(START + 24 * HOUR)
                .energyKwh())
        .isEqualTo(previous);
  }

  @Test
  void theDiffractometerReportsItsRunLamp() {
    InstrumentSimulator xrd =
        new InstrumentSimulator(SimulatorKind.X_RAY_DIFFRACTOMETER, 1, Pace.COMPRESSED);
    InstrumentSimulator ms =
        new InstrumentSimulator(SimulatorKind.MASS_SPECTROMETER, 1, Pace.COMPRESSED);
    Interval run = xrd.groundTruthActive(START, START + 4 * HOUR).get(0);

    assertThat(xrd.sampleAt(run.fromMillis()).runFlag()).isEqualTo(RunFlag.RUNNING);
    assertThat(xrd.sampleAt(run.toMillis()).runFlag()).isEqualTo(RunFlag.IDLE);
    assertThat(xrd.sampleAt(run.fromMillis() - 1).runFlag()).isEqualTo(RunFlag.IDLE);
    assertThat(ms.sampleAt(run.fromMillis()).runFlag()).isEqualTo(RunFlag.NONE);
    assertThat(ms.sampleAt(run.fromMillis()).quality()).isEqualTo(Quality.GOOD);
  }

  @Test
  void groundTruthIsClippedToTheAskedSpan() {
    InstrumentSimulator sim = new InstrumentSimulator(SimulatorKind.NMR, 4, Pace.COMPRESSED);
    Interval run = sim.groundTruthActive(START, START + 4 * HOUR).get(0);
    long middle = run.fromMillis() + run.durationMillis() / 2;

    assertThat(sim.groundTruthActive(middle, START + 4 * HOUR).get(0))
        .isEqualTo(new Interval(middle, run.toMillis()));
    assertThat(sim.groundTruthActive(run.fromMillis(), middle))
        .containsExactly(new Interval(run.fromMillis(), middle));
    assertThat(sim.groundTruthActive(middle, middle)).isEmpty();
  }
}
