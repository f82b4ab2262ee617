package org.labmeter.metering.attribution;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.List;
import org.labmeter.metering.derive.RunState;
import org.labmeter.metering.derive.StateSegment;

/**
 * The derived timeline cut to the window, with holes filled as UNKNOWN and neighbours of one state
 * merged, in primitive arrays. A segment's verified millis say how much of it is verified but not
 * where, so a part of a segment gets its share by {@link #verifiedBefore}: evenly spread, rounded
 * down, and exact when the parts are added up.
 */
final class ClippedTimeline {
  private static final RunState[] STATES = RunState.values();

  final long[] start;
  final long[] end;
  final RunState[] state;
  final long[] verified;
  final int size;

  private ClippedTimeline(long[] start, long[] end, RunState[] state, long[] verified, int size) {
    this.start = start;
    this.end = end;
    this.state = state;
    this.verified = verified;
    this.size = size;
  }

  /**
   * @throws IllegalArgumentException when the segments are not in time order or overlap
   */
  static ClippedTimeline of(List<StateSegment> segments, long from, long to) {
    int cap = 2 * segments.size() + 2;
    long[] s = new long[cap];
    long[] e = new long[cap];
    RunState[] st = new RunState[cap];
    long[] v = new long[cap];
    int n = 0;
    long cursor = from;
    long previousEnd = Long.MIN_VALUE;
    for (int i = 0; i < segments.size(); i++) {
      StateSegment seg = segments.get(i);
      if (seg.startMillis() < previousEnd) {
        throw new IllegalArgumentException(
            "timeline segment "
                + i
                + " starts at "
                + seg.startMillis()
                + ", before the previous segment's end "
                + previousEnd
                + "; segments must be in time order without overlap");
      }
      previousEnd = seg.endMillis();
      long a = Math.max(seg.startMillis(), cursor);
      long b = Math.min(seg.endMillis(), to);
      if (a >= b) {
        continue;
      }
      if (a > cursor) {
        n = append(s, e, st, v, n, cursor, a, RunState.UNKNOWN, 0);
      }
      long part = b - a;
      long length = seg.durationMillis();
      long partVerified =
          part == length
              ? seg.verifiedMillis()
              : share(seg.verifiedMillis(), b - seg.startMillis(), length)
                  - share(seg.verifiedMillis(), a - seg.startMillis(), length);
      n = append(s, e, st, v, n, a, b, seg.state(), partVerified);
      cursor = b;
    }
    if (cursor < to) {
      n = append(s, e, st, v, n, cursor, to, RunState.UNKNOWN, 0);
    }
    return new ClippedTimeline(s, e, st, v, n);
  }

  private static int append(
      long[] s,
      long[] e,
      RunState[] st,
      long[] v,
      int n,
      long a,
      long b,
      RunState state,
      long ver) {
    if (n > 0 && st[n - 1] == state && e[n - 1] == a) {
      e[n - 1] = b;
      v[n - 1] += ver;
      return n;
    }
    s[n] = a;
    e[n] = b;
    st[n] = state;
    v[n] = ver;
    return n + 1;
  }

  /** Index of the segment holding instant {@code t}; requires the window to contain it. */
  int indexAt(long t) {
    int found = Arrays.binarySearch(start, 0, size, t);
    return found >= 0 ? found : -found - 2;
  }

  RunState stateAt(long t) {
    return state[indexAt(t)];
  }

  /** Verified millis of segment {@code i} inside [start[i], t): evenly spread, rounded down. */
  long verifiedBefore(int i, long t) {
    return share(verified[i], t - start[i], end[i] - start[i]);
  }

  /** ACTIVE millis inside [a, b). */
  long activeMillisIn(long a, long b) {
    if (a >= b) {
      return 0;
    }
    long total = 0;
    for (int i = indexAt(a); i < size && start[i] < b; i++) {
      if (state[i] == RunState.ACTIVE) {
        total += Math.min(end[i], b) - Math.max(start[i], a);
      }
    }
    return total;
  }

  /** Millis per state, by ordinal, of the whole window. */
  long[] totals() {
    long[] byState = new long[STATES.length];
    for (int i = 0; i < size; i++) {
      byState[state[i].ordinal()] += end[i] - start[i];
    }
    return byState;
  }

  /** floor(verified * part / length) without overflow. */
  static long share(long verified, long part, long length) {
    if (verified == length) {
      return part;
    }
    if (verified == 0) {
      return 0;
    }
    if (Math.multiplyHigh(verified, part) == 0 && verified * part >= 0) {
      return verified * part / length;
    }
    return BigInteger.valueOf(verified)
        .multiply(BigInteger.valueOf(part))
        .divide(BigInteger.valueOf(length))
        .longValueExact();
  }
}
