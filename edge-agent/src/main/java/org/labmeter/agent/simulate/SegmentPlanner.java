package org.labmeter.agent.simulate;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Plans one segment of the timeline from (kind, pace, seed, segment index) alone, so that the state
 * at any instant is a pure function of the seed and the time: restarts and out-of-order queries see
 * the same history. A segment starts with an optional OFF spell, then alternates standby and
 * sessions (warm-up, one or more runs separated by idle pauses), and always ends in standby, so no
 * run crosses a segment edge.
 */
final class SegmentPlanner {
  /** Dips and spikes keep this far from the edges of the phase they sit in. */
  private static final long CLEARANCE_MILLIS = 120_000;

  private static final long DIP_MIN_MILLIS = 5_000;
  private static final long DIP_MAX_MILLIS = 20_000;
  private static final long SPIKE_MIN_MILLIS = 3_000;
  private static final long SPIKE_MAX_MILLIS = 10_000;

  /** Dips inside one run are at least this far apart, so they never read as one long pause. */
  private static final long DIP_SEPARATION_MILLIS = 60_000;

  private static final int MAX_DIPS_PER_RUN = 2;

  private final SimulatorKind kind;
  private final Pace pace;
  private final long seed;

  SegmentPlanner(SimulatorKind kind, Pace pace, long seed) {
    this.kind = kind;
    this.pace = pace;
    this.seed = seed;
  }

  long segmentMillis() {
    return pace.segmentMillis();
  }

  long segmentIndexOf(long timestampMillis) {
    return Math.floorDiv(timestampMillis, pace.segmentMillis());
  }

  Segment plan(long index) {
    long start = index * pace.segmentMillis();
    long end = start + pace.segmentMillis();
    SplittableRandom rng = new SplittableRandom(mix(seed, kind.ordinal(), pace.ordinal(), index));
    List<Phase> phases = new ArrayList<>();
    long t = start;
    if (rng.nextDouble() < kind.offProbability()) {
      t = add(phases, t, t + draw(rng, pace.offMillis()), InstrumentState.OFF);
    }
    while (true) {
      long standby = draw(rng, pace.standbyMillis());
      long warmup = draw(rng, pace.warmupMillis());
      int runs = 1 + rng.nextInt(pace.maxRunsPerSession());
      long[] runLengths = new long[runs];
      long[] idleLengths = new long[runs - 1];
      long session = warmup;
      for (int i = 0; i < runs; i++) {
        runLengths[i] = draw(rng, pace.runMillis());
        session += runLengths[i];
        if (i < runs - 1) {
          idleLengths[i] = draw(rng, pace.idleMillis());
          session += idleLengths[i];
        }
      }
      // Leave a standby tail of at least one minimum standby before the segment edge.
      if (t + standby + session + pace.standbyMillis()[0] > end) {
        break;
      }
      t = addStandby(phases, rng, t, t + standby);
      t = add(phases, t, t + warmup, InstrumentState.WARMUP);
      for (int i = 0; i < runs; i++) {
        t = addRun(phases, rng, t, t + runLengths[i]);
        if (i < runs - 1) {
          t = add(phases, t, t + idleLengths[i], InstrumentState.IDLE);
        }
      }
    }
    addStandby(phases, rng, t, end);
    return Segment.of(index, start, end, phases);
  }

  private long add(List<Phase> phases, long from, long to, InstrumentState state) {
    return addAt(phases, from, to, state, kind.nominalPowerW(state));
  }

  private static long addAt(
      List<Phase> phases, long from, long to, InstrumentState state, double levelW) {
    if (to > from) {
      phases.add(new Phase(from, to, state, levelW));
    }
    return to;
  }

  /** Standby with, half the time, one short spike (a compressor or pump starting) in the middle. */
  private long addStandby(List<Phase> phases, SplittableRandom rng, long from, long to) {
    long spike = SPIKE_MIN_MILLIS + rng.nextLong(SPIKE_MAX_MILLIS - SPIKE_MIN_MILLIS + 1);
    long room = (to - from) - 2 * CLEARANCE_MILLIS - spike;
    boolean withSpike = rng.nextBoolean();
    if (!withSpike || room <= 0) {
      return add(phases, from, to, InstrumentState.STANDBY);
    }
    long spikeStart = from + CLEARANCE_MILLIS + rng.nextLong(room + 1);
    add(phases, from, spikeStart, InstrumentState.STANDBY);
    addAt(phases, spikeStart, spikeStart + spike, InstrumentState.STANDBY, kind.runPowerW());
    return add(phases, spikeStart + spike, to, InstrumentState.STANDBY);
  }

  /** A run with up to two short dips (sample change, valve switching) well inside it. */
  private long addRun(List<Phase> phases, SplittableRandom rng, long from, long to) {
    int dips = rng.nextInt(MAX_DIPS_PER_RUN + 1);
    long usable = (to - from) - 2 * CLEARANCE_MILLIS;
    long slotNeed = DIP_MAX_MILLIS + DIP_SEPARATION_MILLIS;
    dips = (int) Math.min(dips, Math.max(0, usable / slotNeed));
    if (dips == 0) {
      return add(phases, from, to, InstrumentState.RUN);
    }
    long slot = usable / dips;
    long t = from;
    double dipLevel = kind.nominalPowerW(InstrumentState.IDLE);
    for (int i = 0; i < dips; i++) {
      long slotStart = from + CLEARANCE_MILLIS + i * slot;
      long dip = DIP_MIN_MILLIS + rng.nextLong(DIP_MAX_MILLIS - DIP_MIN_MILLIS + 1);
      long dipStart = slotStart + rng.nextLong(slot - dip - DIP_SEPARATION_MILLIS + 1);
      t = add(phases, t, dipStart, InstrumentState.RUN);
      t = addAt(phases, dipStart, dipStart + dip, InstrumentState.RUN, dipLevel);
    }
    return add(phases, t, to, InstrumentState.RUN);
  }

  private static long draw(SplittableRandom rng, long[] span) {
    return span[0] + rng.nextLong(span[1] - span[0] + 1);
  }

  /** SplitMix64 finaliser over the inputs, so neighbouring segments get unrelated streams. */
  static long mix(long... values) {
    long h = 0x9E3779B97F4A7C15L;
    for (long v : values) {
      h = finalise(h ^ v) + 0x9E3779B97F4A7C15L;
    }
    return finalise(h);
  }

  private static long finalise(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
