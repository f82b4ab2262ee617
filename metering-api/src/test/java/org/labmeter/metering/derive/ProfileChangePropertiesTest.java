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
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;
import org.labmeter.metering.derive.DerivationPropertiesTest.Obs;

/**
 * The invariants of {@link DerivationPropertiesTest} when the profile changes inside the data: two
 * versions with their own thresholds, dwell times and gap limits, the second applying from a point
 * drawn over the samples (sometimes on a sample's timestamp). Observations are those of {@link
 * DerivationPropertiesTest}.
 */
class ProfileChangePropertiesTest {
  private static final long BASE = 1_700_000_000_000L;
  private static final RandomDistribution UNIFORM = RandomDistribution.uniform();

  @Provide
  Arbitrary<List<Obs>> observations() {
    return new DerivationPropertiesTest().observations();
  }

  @Provide
  Arbitrary<DerivationProfile> profiles() {
    Arbitrary<Long> dwell = Arbitraries.longs().between(0, 3_000).withDistribution(UNIFORM);
    Arbitrary<Long> gap = Arbitraries.longs().between(1_000, 3_000).withDistribution(UNIFORM);
    Arbitrary<Double> on = Arbitraries.of(700.0, 1000.0, 1500.0);
    return Combinators.combine(on, dwell, dwell, gap).as(ProfileChangePropertiesTest::profile);
  }

  /** Where the change applies from, and windows, as fractions of the samples' span. */
  @Provide
  Arbitrary<Double> fraction() {
    return Arbitraries.doubles().between(-0.1, 1.1).withDistribution(UNIFORM);
  }

  static DerivationProfile profile(double tOn, long minOn, long minOff, long maxGap) {
    return DerivationProfile.create(
        b ->
            b.offBelowW(50)
                .onThresholdW(tOn)
                .offThresholdW(500)
                .minOn(Duration.ofMillis(minOn))
                .minOff(Duration.ofMillis(minOff))
                .maxSampleGap(Duration.ofMillis(maxGap)));
  }

  static ProfileSchedule schedule(
      DerivationProfile v1, DerivationProfile v2, long[] ts, double changeAt, boolean onSample) {
    long change =
        onSample && ts.length > 0
            ? ts[(int) Math.min(ts.length - 1, Math.max(0, Math.round(changeAt * ts.length)))]
            : at(ts, changeAt);
    return new ProfileSchedule(
        List.of(
            new ProfileSchedule.Version(1, BASE - 86_400_000L, v1),
            new ProfileSchedule.Version(2, change, v2)));
  }

  @Property(tries = 200)
  void stateTimeSumsToTheWindowAndTheSpansTileIt(
      @ForAll("observations") List<Obs> obs,
      @ForAll("profiles") DerivationProfile v1,
      @ForAll("profiles") DerivationProfile v2,
      @ForAll("fraction") double changeAt,
      @ForAll boolean onSample,
      @ForAll("fraction") double a,
      @ForAll("fraction") double b) {
    long[] ts = timestamps(obs);
    ProfileSchedule s = schedule(v1, v2, ts, changeAt, onSample);
    long from = Math.min(at(ts, a), at(ts, b));
    long to = Math.max(at(ts, a), at(ts, b));
    Usage u = StateDeriver.derive(s, build(ts, obs), from, to);

    assertThat(u.durations().totalMillis()).isEqualTo(to - from);
    assertThat(u.timeline().stream().mapToLong(StateSegment::durationMillis).sum())
        .isEqualTo(to - from);
    long cursor = from;
    for (ProfileSpan span : u.profiles()) {
      assertThat(span.fromMillis()).isEqualTo(cursor);
      cursor = span.toMillis();
    }
    assertThat(cursor).isEqualTo(to);
    assertThat(u.parameterHash()).isEqualTo(ProfileSchedule.combinedHash(u.profiles()));
  }

  @Property(tries = 200)
  void adjacentWindowsAddUpAcrossTheChange(
      @ForAll("observations") List<Obs> obs,
      @ForAll("profiles") DerivationProfile v1,
      @ForAll("profiles") DerivationProfile v2,
      @ForAll("fraction") double changeAt,
      @ForAll boolean onSample,
      @ForAll("fraction") double a,
      @ForAll("fraction") double b,
      @ForAll @Size(max = 3) List<@LongRange(min = 0, max = 100_000) Long> cuts) {
    long[] ts = timestamps(obs);
    ProfileSchedule s = schedule(v1, v2, ts, changeAt, onSample);
    ObservationSeries series = build(ts, obs);
    long liveEdge =
        ts.length == 0
            ? Long.MAX_VALUE / 8
            : ts[ts.length - 1] + s.at(ts[ts.length - 1]).profile().maxSampleGap().toMillis();
    long from = Math.min(at(ts, a), at(ts, b));
    long to = Math.max(from, Math.min(Math.max(at(ts, a), at(ts, b)), liveEdge));
    List<Long> bounds = new ArrayList<>(List.of(from, to));
    long change = s.versions().get(1).validFromMillis();
    bounds.add(Math.min(to, Math.max(from, change))); // always cut at the change too
    for (long c : cuts) {
      bounds.add(from + c % (to - from + 1));
    }
    Collections.sort(bounds);

    Usage whole = StateDeriver.derive(s, series, from, to);
    StateDurations sum = StateDurations.ZERO;
    StateDurations verified = StateDurations.ZERO;
    for (int k = 1; k < bounds.size(); k++) {
      Usage piece = StateDeriver.derive(s, series, bounds.get(k - 1), bounds.get(k));
      sum = sum.plus(piece.durations());
      verified = verified.plus(piece.verifiedDurations());
    }
    assertThat(sum).isEqualTo(whole.durations());
    assertThat(verified).isEqualTo(whole.verifiedDurations());
  }

  @Property(tries = 200)
  void shuffledAndDuplicatedInputGivesTheSameResult(
      @ForAll("observations") List<Obs> obs,
      @ForAll("profiles") DerivationProfile v1,
      @ForAll("profiles") DerivationProfile v2,
      @ForAll("fraction") double changeAt,
      @ForAll Random random,
      @ForAll("fraction") double a,
      @ForAll("fraction") double b) {
    long[] ts = timestamps(obs);
    ProfileSchedule s = schedule(v1, v2, ts, changeAt, random.nextBoolean());
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < obs.size(); i++) {
      order.add(i);
      if (random.nextInt(3) == 0) {
        order.add(i);
      }
    }
    Collections.shuffle(order, random);
    ObservationSeries.Builder messy = ObservationSeries.builder();
    for (int i : order) {
      Obs o = obs.get(i);
      messy.add(ts[i], o.powerW(), o.flag(), o.quality(), o.verified());
    }
    long from = Math.min(at(ts, a), at(ts, b));
    long to = Math.max(at(ts, a), at(ts, b));

    assertThat(StateDeriver.derive(s, messy.build(), from, to))
        .isEqualTo(StateDeriver.derive(s, build(ts, obs), from, to));
  }

  @Property(tries = 200)
  void gapsOfEitherVersionAreUnknown(
      @ForAll("observations") List<Obs> obs,
      @ForAll("profiles") DerivationProfile v1,
      @ForAll("profiles") DerivationProfile v2,
      @ForAll("fraction") double changeAt,
      @ForAll boolean onSample,
      @ForAll("fraction") double a,
      @ForAll("fraction") double b) {
    long[] ts = timestamps(obs);
    ProfileSchedule s = schedule(v1, v2, ts, changeAt, onSample);
    long from = Math.min(at(ts, a), at(ts, b));
    long to = Math.max(at(ts, a), at(ts, b));
    Usage u = StateDeriver.derive(s, build(ts, obs), from, to);

    List<long[]> gaps = new ArrayList<>();
    gaps.add(new long[] {Long.MIN_VALUE, ts.length == 0 ? Long.MAX_VALUE : ts[0]});
    for (int i = 0; i + 1 < ts.length; i++) {
      // the version classifying an interval is the one in force at its first sample
      if (ts[i + 1] - ts[i] > s.at(ts[i]).profile().maxSampleGap().toMillis()) {
        gaps.add(new long[] {ts[i], ts[i + 1]});
      }
    }
    if (ts.length > 0) {
      long last = ts[ts.length - 1];
      if (to - last > s.at(last).profile().maxSampleGap().toMillis()) {
        gaps.add(new long[] {last, Long.MAX_VALUE});
      }
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
  void raisingTheOnThresholdsNeverAddsActiveTime(
      @ForAll("observations") List<Obs> obs,
      @ForAll @LongRange(min = 0, max = 3_000) long minOn,
      @ForAll @LongRange(min = 0, max = 3_000) long minOff,
      @ForAll @LongRange(min = 1_000, max = 3_000) long gap1,
      @ForAll @LongRange(min = 1_000, max = 3_000) long gap2,
      @ForAll @LongRange(min = 0, max = 600) long raise,
      @ForAll("fraction") double changeAt,
      @ForAll("fraction") double a,
      @ForAll("fraction") double b) {
    List<Obs> powerOnly =
        obs.stream()
            .map(
                o ->
                    new Obs(
                        o.stepMillis(),
                        o.powerW(),
                        org.labmeter.wire.RunFlag.NONE,
                        o.quality(),
                        o.verified()))
            .toList();
    long[] ts = timestamps(powerOnly);
    ObservationSeries series = build(ts, powerOnly);
    long from = Math.min(at(ts, a), at(ts, b));
    long to = Math.max(at(ts, a), at(ts, b));
    ProfileSchedule low =
        schedule(
            profile(700, minOn, minOff, gap1),
            profile(1000, minOn, minOff, gap2),
            ts,
            changeAt,
            false);
    ProfileSchedule high =
        schedule(
            profile(700 + raise, minOn, minOff, gap1),
            profile(1000 + raise, minOn, minOff, gap2),
            ts,
            changeAt,
            false);

    assertThat(StateDeriver.derive(high, series, from, to).activeMillis())
        .isLessThanOrEqualTo(StateDeriver.derive(low, series, from, to).activeMillis());
  }

  private static long span(long[] ts) {
    return (ts.length == 0 ? BASE : ts[ts.length - 1]) - BASE + 5_000;
  }

  private static long at(long[] ts, double fraction) {
    return BASE + Math.round(fraction * span(ts));
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
