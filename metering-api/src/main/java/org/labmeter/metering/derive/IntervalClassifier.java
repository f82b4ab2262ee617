package org.labmeter.metering.derive;

import org.labmeter.wire.Quality;
import org.labmeter.wire.RunFlag;

/**
 * Steps 1 to 3 of {@link StateDeriver}: one state per sample interval, over the whole series, in
 * three linear passes over primitive arrays (raw state with hysteresis, dips, blips). Working on
 * the whole series rather than the window is what makes dwell-time decisions independent of where a
 * window is cut.
 *
 * <p>Interval {@code i} is [t_i, t_{i+1}); the last one, [t_last, ...), is the tail. States are
 * {@link RunState} ordinals in a {@code byte[]}.
 */
final class IntervalClassifier {
  static final byte OFF = (byte) RunState.OFF.ordinal();
  static final byte STANDBY = (byte) RunState.STANDBY.ordinal();
  static final byte ACTIVE = (byte) RunState.ACTIVE.ordinal();
  static final byte FAULT = (byte) RunState.FAULT.ordinal();
  static final byte UNKNOWN = (byte) RunState.UNKNOWN.ordinal();

  private static final byte FLAG_NONE = (byte) RunFlag.NONE.code();
  private static final byte FLAG_IDLE = (byte) RunFlag.IDLE.code();
  private static final byte FLAG_RUNNING = (byte) RunFlag.RUNNING.code();
  private static final byte FLAG_FAULT = (byte) RunFlag.FAULT.code();
  private static final byte QUALITY_UNAVAILABLE = (byte) Quality.UNAVAILABLE.code();

  private IntervalClassifier() {}

  /**
   * The final state of every interval of {@code s}.
   *
   * @param tailHolds whether the last sample's values hold after it (the window ends within
   *     maxSampleGap of it); when they do, the tail is open-ended
   */
  static byte[] classify(ProfilePieces p, ObservationSeries s, boolean tailHolds) {
    byte[] states = rawStates(p, s, tailHolds);
    mergeDips(p, s, states);
    dropBlips(p, s, states);
    return states;
  }

  /** Whether sample i's values hold over its interval: the next sample is close enough. */
  static boolean holds(long[] ts, int i, long maxGapMillis, boolean tailHolds) {
    return i < ts.length - 1 ? ts[i + 1] - ts[i] <= maxGapMillis : tailHolds;
  }

  /**
   * Step 2 with the thresholds of each interval's own profile version. The hysteresis level is
   * carried across a version change: the new thresholds take over from the level the old ones left.
   */
  private static byte[] rawStates(ProfilePieces pieces, ObservationSeries s, boolean tailHolds) {
    long[] ts = s.timestampMillis;
    int n = ts.length;
    byte[] states = new byte[n];
    boolean high = false;
    for (int k = 0; k < pieces.count(); k++) {
      int end = k + 1 < pieces.count() ? pieces.firstOf(k + 1) : n;
      high = rawStates(pieces.profileOf(k), s, tailHolds, pieces.firstOf(k), end, high, states);
    }
    return states;
  }

  /** Classifies intervals [begin, end) with one profile; returns the hysteresis level after. */
  private static boolean rawStates(
      DerivationProfile p,
      ObservationSeries s,
      boolean tailHolds,
      int begin,
      int end,
      boolean high,
      byte[] states) {
    long[] ts = s.timestampMillis;
    double[] power = s.powerW;
    byte[] flag = s.runFlag;
    byte[] quality = s.quality;
    long maxGap = p.maxSampleGap().toMillis();
    double on = p.onThresholdW();
    double off = p.offThresholdW();
    double offBelow = p.offBelowW();
    for (int i = begin; i < end; i++) {
      double w = power[i];
      byte f = flag[i];
      if (!holds(ts, i, maxGap, tailHolds)
          || quality[i] == QUALITY_UNAVAILABLE
          || (f == FLAG_NONE && Double.isNaN(w))) {
        states[i] = UNKNOWN;
        high = false;
        continue;
      }
      if (f == FLAG_FAULT) {
        states[i] = FAULT;
        high = false;
        continue;
      }
      // The comparator follows power whatever the flag says; flags only override the state.
      if (w >= on) {
        high = true;
      } else if (w <= off) {
        high = false;
      }
      if (f == FLAG_RUNNING || (f != FLAG_IDLE && high)) {
        states[i] = ACTIVE;
      } else {
        states[i] = low(w, offBelow);
      }
    }
    return high;
  }

  /** OFF below the OFF level, else STANDBY; missing power (only with IDLE) counts as STANDBY. */
  static byte low(double w, double offBelowW) {
    return w < offBelowW ? OFF : STANDBY;
  }

  private static boolean isLow(byte state) {
    return state == OFF || state == STANDBY;
  }

  /**
   * Step 3a: a maximal OFF/STANDBY run with ACTIVE on both sides, shorter than minOff and without
   * an IDLE flag (the instrument said it was idle), becomes ACTIVE. minOff is that of the version
   * classifying the run's first interval.
   */
  private static void mergeDips(ProfilePieces pieces, ObservationSeries s, byte[] states) {
    if (pieces.count() == 1 && pieces.profileOf(0).minOff().isZero()) {
      return;
    }
    long[] ts = s.timestampMillis;
    byte[] flag = s.runFlag;
    int n = states.length;
    int i = 0;
    while (i < n) {
      if (!isLow(states[i])) {
        i++;
        continue;
      }
      int a = i;
      boolean idle = false;
      while (i < n && isLow(states[i])) {
        idle |= flag[i] == FLAG_IDLE;
        i++;
      }
      int b = i;
      if (a > 0
          && b < n
          && states[a - 1] == ACTIVE
          && states[b] == ACTIVE
          && !idle
          && ts[b] - ts[a] < pieces.at(a).minOff().toMillis()) {
        for (int k = a; k < b; k++) {
          states[k] = ACTIVE;
        }
      }
    }
  }

  /**
   * Step 3b: a maximal ACTIVE run shorter than minOn, without a RUNNING flag and with a known end
   * (a run reaching the open tail is still going), falls back to OFF/STANDBY by each interval's own
   * power. minOn is that of the version classifying the run's first interval.
   */
  private static void dropBlips(ProfilePieces pieces, ObservationSeries s, byte[] states) {
    if (pieces.count() == 1 && pieces.profileOf(0).minOn().isZero()) {
      return;
    }
    long[] ts = s.timestampMillis;
    double[] power = s.powerW;
    byte[] flag = s.runFlag;
    int n = states.length;
    int i = 0;
    while (i < n) {
      if (states[i] != ACTIVE) {
        i++;
        continue;
      }
      int a = i;
      boolean forced = false;
      while (i < n && states[i] == ACTIVE) {
        forced |= flag[i] == FLAG_RUNNING;
        i++;
      }
      int b = i;
      // b == n: the run includes the tail, which is ACTIVE only when it holds, i.e. is open.
      if (!forced && b < n && ts[b] - ts[a] < pieces.at(a).minOn().toMillis()) {
        for (int k = a; k < b; k++) {
          states[k] = low(power[k], pieces.at(k).offBelowW());
        }
      }
    }
  }
}
