package org.labmeter.metering.derive;

import java.util.Arrays;
import java.util.Objects;

/**
 * Turns the samples of one instrument into states, run sessions and hours. The API, the daily
 * ledger and the offline verifier all call this one function, so it is deterministic and depends
 * only on its arguments: same profile, same samples, same window, same result, bit for bit.
 *
 * <h2>Semantics (algorithm {@value #ALGORITHM_VERSION})</h2>
 *
 * <ol>
 *   <li><b>Holding.</b> Sample i's values hold over [t_i, t_{i+1}) when t_{i+1} - t_i &le;
 *       maxSampleGap; when the gap is longer the <em>whole</em> interval is UNKNOWN (unknown is
 *       never off). After the last sample its values hold up to {@code to} if {@code to - t_last
 *       &le; maxSampleGap} (the live edge), otherwise all of [t_last, to) is UNKNOWN. Time before
 *       the first sample is UNKNOWN. A sample with quality UNAVAILABLE, or with NaN power and run
 *       flag NONE, makes its interval UNKNOWN. SUSPECT samples count like GOOD ones.
 *   <li><b>Raw state.</b> Flag FAULT: FAULT. RUNNING: ACTIVE whatever the power. IDLE: never
 *       ACTIVE; OFF if P &lt; offBelowW, else STANDBY (also when P is NaN). NONE: a hysteresis
 *       level goes high at P &ge; T_on and low at P &le; T_off and stays put in between; high is
 *       ACTIVE, low is OFF/STANDBY as for IDLE. The level starts low at the first sample and after
 *       every UNKNOWN or FAULT interval. It follows power under every flag (flags only override the
 *       state), and a NaN power leaves it unchanged.
 *   <li><b>Minimum durations</b>, over the whole series, in this order. (a) Dips: a maximal run of
 *       OFF/STANDBY intervals with ACTIVE intervals on both sides, shorter than minOff, becomes
 *       ACTIVE, unless one of its samples carries the IDLE flag (IDLE is never ACTIVE). A dip never
 *       bridges UNKNOWN or FAULT, which are not OFF/STANDBY. (b) Blips: a maximal ACTIVE run
 *       shorter than minOn becomes OFF/STANDBY by each interval's own power, unless one of its
 *       samples carries the RUNNING flag, or it reaches the open tail (the last sample's values
 *       still hold, so the run has no known end yet). Lengths are those of whole runs in the
 *       series, not clipped by the window, so results do not depend on where a window is cut.
 *   <li><b>Output.</b> Sessions are the maximal ACTIVE runs, clipped to the window. An interval's
 *       verified millis are its length when its holding sample is verified (a sample holds no time
 *       across a gap, so gap time is never verified), else 0. Evidence gaps are the ACTIVE
 *       intervals with unverified holding samples, merged. Coverage is verified ACTIVE millis over
 *       ACTIVE millis, and 1.0 when there is no ACTIVE time.
 * </ol>
 *
 * <p>Only time inside [from, to) is counted, but samples outside it are used: the caller should
 * pass context around the window (at least the longest of minOn, minOff and maxSampleGap, plus one
 * maxSampleGap) so that hysteresis and dwell times at the edges see the same samples whichever
 * window is asked for. Adjacent windows add up exactly (per state and per verified millis) as long
 * as none of them ends more than maxSampleGap after the last sample: beyond the live edge, the
 * tail's state depends on the window's end by rule 1.
 *
 * <p>Cost: three linear passes over primitive arrays plus one over the window, one {@code byte} per
 * sample of scratch, and objects only per segment, session and evidence gap.
 */
public final class StateDeriver {
  /** Names these rules in every result; change it whenever a rule changes. */
  public static final String ALGORITHM_VERSION = "lm-derive/1";

  private StateDeriver() {}

  /**
   * Derives the usage of one instrument over [fromMillis, toMillis).
   *
   * @throws IllegalArgumentException when {@code toMillis < fromMillis} or either lies outside
   *     {@link ObservationSeries#MAX_ABS_TIMESTAMP_MILLIS}
   */
  public static Usage derive(
      DerivationProfile profile, ObservationSeries series, long fromMillis, long toMillis) {
    Objects.requireNonNull(profile, "profile");
    return derive(ProfileSchedule.of(profile), series, fromMillis, toMillis);
  }

  /**
   * Derives the usage over [fromMillis, toMillis) when the profile may change: each sample interval
   * is classified with the version in force at the sample that starts it, so each version applies
   * to its own part of the window. The hysteresis level carries across a change, and a run that
   * spans it stays one session. Dwell times are those of the version in force where a run starts.
   * With one version this is exactly {@link #derive(DerivationProfile, ObservationSeries, long,
   * long)}. The result lists every version used in {@link Usage#profiles()}.
   */
  public static Usage derive(
      ProfileSchedule schedule, ObservationSeries series, long fromMillis, long toMillis) {
    Objects.requireNonNull(schedule, "schedule");
    Objects.requireNonNull(series, "series");
    requireInRange("fromMillis", fromMillis);
    requireInRange("toMillis", toMillis);
    if (toMillis < fromMillis) {
      throw new IllegalArgumentException(
          "toMillis (" + toMillis + ") must not be before fromMillis (" + fromMillis + ")");
    }
    long[] ts = series.timestampMillis;
    int n = ts.length;
    ProfilePieces pieces = ProfilePieces.of(schedule, ts);
    boolean tailHolds = n > 0 && toMillis - ts[n - 1] <= pieces.at(n - 1).maxSampleGap().toMillis();
    byte[] states = IntervalClassifier.classify(pieces, series, tailHolds);

    UsageAccumulator acc = new UsageAccumulator(fromMillis);
    long cursor = fromMillis;
    if (cursor < toMillis && (n == 0 || cursor < ts[0])) {
      long end = n == 0 ? toMillis : Math.min(ts[0], toMillis);
      acc.add(cursor, end, IntervalClassifier.UNKNOWN, false);
      cursor = end;
    }
    int last = -1;
    if (cursor < toMillis) {
      int i = indexAtOrBefore(ts, cursor);
      acc.runContinuesFromBefore(
          states[i] == IntervalClassifier.ACTIVE
              && (ts[i] < fromMillis || (i > 0 && states[i - 1] == IntervalClassifier.ACTIVE)));
      while (cursor < toMillis) {
        long end = i < n - 1 ? Math.min(ts[i + 1], toMillis) : toMillis;
        long maxGap = pieces.at(i).maxSampleGap().toMillis();
        boolean verified = series.verified[i] && IntervalClassifier.holds(ts, i, maxGap, tailHolds);
        acc.add(cursor, end, states[i], verified);
        cursor = end;
        last = i;
        i++;
      }
    }
    boolean runContinuesAfter =
        last >= 0
            && states[last] == IntervalClassifier.ACTIVE
            && (last == n - 1
                || ts[last + 1] > toMillis
                || states[last + 1] == IntervalClassifier.ACTIVE);
    return acc.finish(
        toMillis, runContinuesAfter, ALGORITHM_VERSION, schedule.spans(fromMillis, toMillis));
  }

  /** The index of the last sample at or before {@code t}; requires ts[0] &le; t. */
  private static int indexAtOrBefore(long[] ts, long t) {
    int found = Arrays.binarySearch(ts, t);
    return found >= 0 ? found : -found - 2;
  }

  private static void requireInRange(String name, long millis) {
    long max = ObservationSeries.MAX_ABS_TIMESTAMP_MILLIS;
    if (millis > max || millis < -max) {
      throw new IllegalArgumentException(name + " (" + millis + ") is outside the supported range");
    }
  }
}
