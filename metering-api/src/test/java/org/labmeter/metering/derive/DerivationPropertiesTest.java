package org.labmeter.metering.derive;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.RandomDistribution;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;
import org.labmeter.wire.Quality;
import org.labmeter.wire.RunFlag;

/**
 * Invariants of the derivation over random series: up to 160 samples in blocks of equal power, flag
 * and quality, steps of 1 ms to 4 s against a maxSampleGap of 1 to 3 s (so both held and UNKNOWN
 * intervals occur), dwell times up to 3 s, powers on and around the thresholds (OFF below 50 W,
 * T_off 500 W, T_on 1000 W), all flags and qualities, and windows that start before the first
 * sample or run past the live edge.
 */
class DerivationPropertiesTest {
  private static final long BASE = 1_700_000_000_000L;
  private static final RandomDistribution UNIFORM = RandomDistribution.uniform();

  /** One sample, {@code stepMillis} after the previous one (or after BASE). */
  record Obs(long stepMillis, double powerW, RunFlag flag, Quality quality, boolean verified) {}

  /**
   * Blocks of up to 8 samples sharing power, flag and quality, so that runs, dips and blips of
   * several samples occur; steps are mostly under a second, sometimes up to 4 s.
   */
  @Provide
  Arbitrary<List<Obs>> observations() {
    Arbitrary<Long> step =
        Arbitraries.frequencyOf(
            Tuple.of(8, Arbitraries.longs().between(1, 1_000).withDistribution(UNIFORM)),
            Tuple.of(1, Arbitraries.longs().between(1_000, 4_000).withDistribution(UNIFORM)));
    Arbitrary<Double> power =
        Arbitraries.frequency(
            Tuple.of(2, 0.0),
            Tuple.of(2, 20.0),
            Tuple.of(1, 50.0),
            Tuple.of(2, 100.0),
            Tuple.of(1, 499.0),
            Tuple.of(1, 500.0),
            Tuple.of(2, 700.0),
            Tuple.of(1, 999.0),
            Tuple.of(3, 1000.0),
            Tuple.of(10, 1500.0),
            Tuple.of(1, Double.NaN));
    Arbitrary<RunFlag> flag =
        Arbitraries.frequency(
            Tuple.of(12, RunFlag.NONE),
            Tuple.of(1, RunFlag.IDLE),
            Tuple.of(1, RunFlag.RUNNING),
            Tuple.of(1, RunFlag.FAULT));
    Arbitrary<Quality> quality =
        Arbitraries.frequency(
            Tuple.of(10, Quality.GOOD),
            Tuple.of(2, Quality.SUSPECT),
            Tuple.of(1, Quality.UNAVAILABLE));
    Arbitrary<Boolean> verified = Arbitraries.frequency(Tuple.of(6, true), Tuple.of(1, false));
    Arbitrary<List<Obs>> block =
        Combinators.combine(
                power,
                flag,
                quality,
                Combinators.combine(step, verified)
                    .as(Tuple::of)
                    .list()
                    .ofMinSize(1)
                    .ofMaxSize(10)
                    .withSizeDistribution(UNIFORM))
            .as(
                (w, f, q, steps) ->
                    steps.stream().map(t -> new Obs(t.get1(), w, f, q, t.get2())).toList());
    return block
        .list()
        .ofMaxSize(16)
        .withSizeDistribution(UNIFORM)
        .map(blocks -> blocks.stream().flatMap(List::stream).toList());
  }

  /** T_on values at or above the fixed T_off (500 W), often equal to a generated power. */
  @Provide
  Arbitrary<Double> onThresholds() {
    return Arbitraries.frequencyOf(
        Tuple.of(1, Arbitraries.of(500.0, 700.0, 999.0, 1000.0, 1500.0)),
        Tuple.of(1, Arbitraries.doubles().between(500, 1600).withDistribution(UNIFORM)));
  }

  /** Where a window starts, as a fraction of the span of the samples. */
  @Provide
  Arbitrary<Double> start() {
    return Arbitraries.doubles().between(-0.1, 0.9).withDistribution(UNIFORM);
  }

  /** How long a window is, as a fraction of the span of the samples. */
  @Provide
  Arbitrary<Double> length() {
    return Arbitraries.frequencyOf(
        Tuple.of(1, Arbitraries.just(0.0)),
        Tuple.of(9, Arbitraries.doubles().between(0, 1.2).withDistribution(UNIFORM)));
  }

  @Provide
  Arbitrary<DerivationProfile> profiles() {
    Arbitrary<Long> dwell = Arbitraries.longs().between(0, 3_000).withDistribution(UNIFORM);
    Arbitrary<Long> gap = Arbitraries.longs().between(1_000, 3_000).withDistribution(UNIFORM);
    return Combinators.combine(dwell, dwell, gap).as(DerivationPropertiesTest::profile);
  }

  private static DerivationProfile profile(long minOn, long minOff, long maxGap) {
    return profile(1000, minOn, minOff, maxGap);
  }

  private static DerivationProfile profile(double tOn, long minOn, long minOff, long maxGap) {
    return DerivationProfile.create(
        b ->
            b.offBelowW(50)
                .onThresholdW(tOn)
                .offThresholdW(500)
                .minOn(Duration.ofMillis(minOn))
                .minOff(Duration.ofMillis(minOff))
                .maxSampleGap(Duration.ofMillis(maxGap)));
  }

  @Property(tries = 200)
  void stateTimeSumsToTheWindowAndTheTimelineTilesIt(
      @ForAll("observations") List<Obs> obs,
      @ForAll("profiles") DerivationProfile p,
      @ForAll("start") double fromAt,
      @ForAll("length") double lengthAt) {
    long[] ts = timestamps(obs);
    long from = from(ts, fromAt);
    long length = length(ts, lengthAt);
    Usage u = StateDeriver.derive(p, build(ts, obs), from, from + length);

    assertThat(u.durations().totalMillis()).isEqualTo(length);
    long[] perState = new long[5];
    long[] verifiedPerState = new long[5];
    long cursor = from;
    RunState previous = null;
    for (StateSegment g : u.timeline()) {
      assertThat(g.startMillis()).isEqualTo(cursor);
      assertThat(g.state()).isNotEqualTo(previous);
      perState[g.state().ordinal()] += g.durationMillis();
      verifiedPerState[g.state().ordinal()] += g.verifiedMillis();
      cursor = g.endMillis();
      previous = g.state();
    }
    assertThat(cursor).isEqualTo(from + length);
    for (RunState s : RunState.values()) {
      assertThat(perState[s.ordinal()]).isEqualTo(u.millis(s));
      assertThat(verifiedPerState[s.ordinal()]).isEqualTo(u.verifiedDurations().millis(s));
    }
    List<long[]> activeSegments =
        u.timeline().stream()
            .filter(g -> g.state() == RunState.ACTIVE)
            .map(g -> new long[] {g.startMillis(), g.endMillis()})
            .toList();
    assertThat(u.sessions().stream().map(r -> new long[] {r.startMillis(), r.endMillis()}))
        .containsExactlyElementsOf(activeSegments);
    long unbacked = u.evidenceGaps().stream().mapToLong(EvidenceGap::durationMillis).sum();
    assertThat(unbacked).isEqualTo(u.activeMillis() - u.verifiedActiveMillis());
    assertThat(u.coverage()).isBetween(0.0, 1.0);
  }

  @Property(tries = 200)
  void adjacentWindowsAddUpToTheWhole(
      @ForAll("observations") List<Obs> obs,
      @ForAll("profiles") DerivationProfile p,
      @ForAll("start") double fromAt,
      @ForAll("length") double lengthAt,
      @ForAll @Size(max = 4) List<@LongRange(min = 0, max = 200_000) Long> cuts) {
    long[] ts = timestamps(obs);
    ObservationSeries series = build(ts, obs);
    long from = from(ts, fromAt);
    // Up to the live edge at most: past it, the tail's state depends on where the window ends.
    long liveEdge =
        ts.length == 0 ? Long.MAX_VALUE / 8 : ts[ts.length - 1] + p.maxSampleGap().toMillis();
    long to = Math.max(from, Math.min(from + length(ts, lengthAt), liveEdge));
    List<Long> bounds = new ArrayList<>(List.of(from, to));
    for (long c : cuts) {
      // every other cut falls on a sample's timestamp, where run boundaries are trickiest
      long at =
          c % 2 == 0 && ts.length > 0 ? ts[(int) (c / 2 % ts.length)] : from + c % (to - from + 1);
      bounds.add(Math.min(to, Math.max(from, at)));
    }
    Collections.sort(bounds);

    Usage whole = StateDeriver.derive(p, series, from, to);
    StateDurations sum = StateDurations.ZERO;
    StateDurations verifiedSum = StateDurations.ZERO;
    long unbacked = 0;
    Usage before = null;
    for (int k = 1; k < bounds.size(); k++) {
      Usage piece = StateDeriver.derive(p, series, bounds.get(k - 1), bounds.get(k));
      if (before != null && before.toMillis() > before.fromMillis() && piece.windowMillis() > 0) {
        // a run cut by the boundary is flagged on both sides, and only then
        boolean leftOpen = endsAtCut(before);
        boolean rightOpen =
            !piece.sessions().isEmpty() && piece.sessions().get(0).startsBeforeWindow();
        assertThat(rightOpen).isEqualTo(leftOpen);
      }
      if (piece.windowMillis() > 0) {
        before = piece;
      }
      sum = sum.plus(piece.durations());
      verifiedSum = verifiedSum.plus(piece.verifiedDurations());
      unbacked += piece.evidenceGaps().stream().mapToLong(EvidenceGap::durationMillis).sum();
    }
    assertThat(sum).isEqualTo(whole.durations());
    assertThat(verifiedSum).isEqualTo(whole.verifiedDurations());
    assertThat(unbacked)
        .isEqualTo(whole.evidenceGaps().stream().mapToLong(EvidenceGap::durationMillis).sum());
  }

  @Property(tries = 200)
  void shuffledAndDuplicatedInputGivesTheSameResult(
      @ForAll("observations") List<Obs> obs,
      @ForAll("profiles") DerivationProfile p,
      @ForAll Random random,
      @ForAll("start") double fromAt,
      @ForAll("length") double lengthAt) {
    long[] ts = timestamps(obs);
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < obs.size(); i++) {
      order.add(i);
      if (random.nextInt(3) == 0) {
        order.add(i); // a retried write of the same sample
      }
    }
    Collections.shuffle(order, random);
    ObservationSeries.Builder messy = ObservationSeries.builder();
    for (int i : order) {
      Obs o = obs.get(i);
      messy.add(ts[i], o.powerW(), o.flag(), o.quality(), o.verified());
    }
    long from = from(ts, fromAt);
    long to = from + length(ts, lengthAt);

    assertThat(StateDeriver.derive(p, messy.build(), from, to))
        .isEqualTo(StateDeriver.derive(p, build(ts, obs), from, to));
  }

  @Property(tries = 200)
  void gapsAreUnknownAndNeverActiveOrOff(
      @ForAll("observations") List<Obs> obs,
      @ForAll("profiles") DerivationProfile p,
      @ForAll("start") double fromAt,
      @ForAll("length") double lengthAt) {
    long[] ts = timestamps(obs);
    long from = from(ts, fromAt);
    long to = from + length(ts, lengthAt);
    long maxGap = p.maxSampleGap().toMillis();
    Usage u = StateDeriver.derive(p, build(ts, obs), from, to);

    List<long[]> gaps = new ArrayList<>();
    gaps.add(new long[] {Long.MIN_VALUE, ts.length == 0 ? Long.MAX_VALUE : ts[0]});
    for (int i = 0; i + 1 < ts.length; i++) {
      if (ts[i + 1] - ts[i] > maxGap) {
        gaps.add(new long[] {ts[i], ts[i + 1]});
      }
    }
    if (ts.length > 0 && to - ts[ts.length - 1] > maxGap) {
      gaps.add(new long[] {ts[ts.length - 1], Long.MAX_VALUE});
    }
    for (long[] gap : gaps) {
      for (StateSegment g : u.timeline()) {
        if (g.startMillis() < gap[1] && gap[0] < g.endMillis()) {
          assertThat(g.state()).as("segment %s overlapping gap", g).isEqualTo(RunState.UNKNOWN);
        }
      }
    }
  }

  @Property(tries = 200)
  void raisingTheOnThresholdNeverAddsActiveTime(
      @ForAll("observations") List<Obs> obs,
      @ForAll("onThresholds") double tOn,
      @ForAll("onThresholds") double otherOn,
      @ForAll @LongRange(min = 0, max = 3_000) long minOn,
      @ForAll @LongRange(min = 0, max = 3_000) long minOff,
      @ForAll @LongRange(min = 1_000, max = 3_000) long maxGap,
      @ForAll("start") double fromAt,
      @ForAll("length") double lengthAt) {
    List<Obs> powerOnly =
        obs.stream()
            .map(o -> new Obs(o.stepMillis(), o.powerW(), RunFlag.NONE, o.quality(), o.verified()))
            .toList();
    long[] ts = timestamps(powerOnly);
    ObservationSeries series = build(ts, powerOnly);
    long from = from(ts, fromAt);
    long to = from + length(ts, lengthAt);
    Usage low =
        StateDeriver.derive(
            profile(Math.min(tOn, otherOn), minOn, minOff, maxGap), series, from, to);
    Usage high =
        StateDeriver.derive(
            profile(Math.max(tOn, otherOn), minOn, minOff, maxGap), series, from, to);

    assertThat(high.activeMillis()).isLessThanOrEqualTo(low.activeMillis());
    for (RunSession r : high.sessions()) {
      assertThat(low.sessions())
          .as("a session at the higher threshold lies inside one at the lower")
          .anyMatch(l -> l.startMillis() <= r.startMillis() && r.endMillis() <= l.endMillis());
    }
  }

  private static boolean endsAtCut(Usage u) {
    List<RunSession> r = u.sessions();
    return !r.isEmpty() && r.get(r.size() - 1).endsAfterWindow();
  }

  /** The span windows are drawn over: the samples plus 5 s, so windows also pass the live edge. */
  private static long span(long[] ts) {
    return (ts.length == 0 ? BASE : ts[ts.length - 1]) - BASE + 5_000;
  }

  private static long from(long[] ts, double at) {
    return BASE + Math.round(at * span(ts));
  }

  private static long length(long[] ts, double at) {
    return Math.round(at * span(ts));
  }

  private static long[] timestamps(List<Obs> obs) {
    long[] ts = new long[obs.size()];
    long t = BASE;
    for (int i = 0; i < ts.length; i++) {
      t += obs.get(i).stepMillis();
      ts[i] = t;
    }
    return ts;
  }

  private static ObservationSeries build(long[] ts, List<Obs> obs) {
    ObservationSeries.Builder b = ObservationSeries.builder();
    for (int i = 0; i < ts.length; i++) {
      Obs o = obs.get(i);
      b.add(ts[i], o.powerW(), o.flag(), o.quality(), o.verified());
    }
    return b.build();
  }
}
