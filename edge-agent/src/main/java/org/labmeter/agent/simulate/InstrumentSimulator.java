package org.labmeter.agent.simulate;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.labmeter.wire.Quality;
import org.labmeter.wire.RunFlag;
import org.labmeter.wire.Sample;

/**
 * A simulated instrument behind a simulated energy meter. Everything it reports is a deterministic
 * function of (kind, pace, seed, time): the same seed gives the same history whatever order it is
 * asked in, and {@link #groundTruthActive} states exactly when it ran, which is what end-to-end
 * tests compare derived machine-hours against.
 *
 * <p>The energy counter integrates the nominal power from a fixed origin (2024-01-01 UTC, where it
 * reads {@link #ORIGIN_ENERGY_KWH}), so it never resets across agent restarts.
 *
 * <p>Not thread-safe: it caches the last planned segment. Use one instance per polling thread.
 */
public final class InstrumentSimulator {
  /** 2024-01-01T00:00:00Z: where the energy counter reads {@link #ORIGIN_ENERGY_KWH}. */
  public static final long ORIGIN_MILLIS = 1_704_067_200_000L;

  public static final double ORIGIN_ENERGY_KWH = 10_000.0;

  /** Energy at segment starts is remembered every this many segments. */
  private static final long CHECKPOINT_EVERY = 64;

  private final SimulatorKind kind;
  private final Pace pace;
  private final long seed;
  private final SegmentPlanner planner;
  private final TreeMap<Long, Double> energyCheckpoints = new TreeMap<>();
  private Segment cached;
  private long cachedEnergyIndex = Long.MIN_VALUE;
  private double cachedEnergyAtStart;

  public InstrumentSimulator(SimulatorKind kind, long seed, Pace pace) {
    this.kind = Objects.requireNonNull(kind, "kind");
    this.pace = Objects.requireNonNull(pace, "pace");
    this.seed = seed;
    this.planner = new SegmentPlanner(kind, pace, seed);
    energyCheckpoints.put(planner.segmentIndexOf(ORIGIN_MILLIS), ORIGIN_ENERGY_KWH);
  }

  public SimulatorKind kind() {
    return kind;
  }

  public Pace pace() {
    return pace;
  }

  public long seed() {
    return seed;
  }

  /** What the instrument is doing at this instant. */
  public InstrumentState stateAt(long timestampMillis) {
    Segment segment = segmentAt(timestampMillis);
    return segment.phases().get(segment.phaseIndexAt(timestampMillis)).state();
  }

  /**
   * What the meter (and, for kinds with a run lamp, the instrument) reports at this instant: power
   * with up to ±3 % noise, the energy counter, and the run flag.
   */
  public Sample sampleAt(long timestampMillis) {
    Segment segment = segmentAt(timestampMillis);
    Phase phase = segment.phases().get(segment.phaseIndexAt(timestampMillis));
    double power = phase.levelW() * (1 + SimulatorKind.NOISE * noise(timestampMillis));
    double energy = energyAtSegmentStart(segment) + segment.energyUntil(timestampMillis);
    RunFlag flag = RunFlag.NONE;
    if (kind.reportsRunFlag()) {
      flag = phase.state() == InstrumentState.RUN ? RunFlag.RUNNING : RunFlag.IDLE;
    }
    return new Sample(timestampMillis, power, energy, flag, Quality.GOOD);
  }

  /**
   * The spans of RUN state inside {@code [fromMillis, toMillis)}, clipped to it, in time order.
   * Dips inside a run are part of the run; adjacent run phases are merged into one interval.
   */
  public List<Interval> groundTruthActive(long fromMillis, long toMillis) {
    List<Interval> out = new ArrayList<>();
    if (toMillis <= fromMillis) {
      return out;
    }
    long openStart = Long.MIN_VALUE;
    long openEnd = Long.MIN_VALUE;
    long first = planner.segmentIndexOf(fromMillis);
    long last = planner.segmentIndexOf(toMillis - 1);
    for (long index = first; index <= last; index++) {
      for (Phase phase : planner.plan(index).phases()) {
        if (phase.state() != InstrumentState.RUN
            || phase.endMillis() <= fromMillis
            || phase.startMillis() >= toMillis) {
          continue;
        }
        long start = Math.max(phase.startMillis(), fromMillis);
        long end = Math.min(phase.endMillis(), toMillis);
        if (openStart != Long.MIN_VALUE && start == openEnd) {
          openEnd = end;
        } else {
          if (openStart != Long.MIN_VALUE) {
            out.add(new Interval(openStart, openEnd));
          }
          openStart = start;
          openEnd = end;
        }
      }
    }
    if (openStart != Long.MIN_VALUE) {
      out.add(new Interval(openStart, openEnd));
    }
    return out;
  }

  private Segment segmentAt(long timestampMillis) {
    long index = planner.segmentIndexOf(timestampMillis);
    if (cached == null || cached.index() != index) {
      cached = planner.plan(index);
    }
    return cached;
  }

  private double energyAtSegmentStart(Segment segment) {
    if (cachedEnergyIndex != segment.index()) {
      cachedEnergyAtStart = energyAtSegmentStart(segment.index());
      cachedEnergyIndex = segment.index();
    }
    return cachedEnergyAtStart;
  }

  /** Walks from the nearest remembered checkpoint towards {@code index}, planning each segment. */
  private double energyAtSegmentStart(long index) {
    long origin = energyCheckpoints.firstKey();
    Map.Entry<Long, Double> from =
        index >= origin ? energyCheckpoints.floorEntry(index) : energyCheckpoints.firstEntry();
    long i = from.getKey();
    double energy = from.getValue();
    while (i < index) {
      energy += planner.plan(i).energyKwh();
      i++;
      if (i % CHECKPOINT_EVERY == 0) {
        energyCheckpoints.put(i, energy);
      }
    }
    while (i > index) {
      i--;
      energy -= planner.plan(i).energyKwh();
    }
    return energy;
  }

  /** Uniform in [-1, 1), a pure function of (seed, kind, time). */
  private double noise(long timestampMillis) {
    long bits = SegmentPlanner.mix(seed, kind.ordinal(), timestampMillis);
    return ((bits >>> 11) * 0x1.0p-53) * 2 - 1;
  }
}
