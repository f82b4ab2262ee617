package org.labmeter.launcher.bench.fleet;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Every acknowledgement of a run: when it came (second of the run) and how long after its intended
 * send time. Fixed arrays, filled without locks; percentiles are computed once at the end, per
 * window, so the outage run can report live latency before, during and after the drain.
 */
final class LatencyLog {
  private final int[] second;
  private final int[] micros;
  private final AtomicInteger size = new AtomicInteger();
  private volatile long startNanos;

  LatencyLog(int capacity) {
    this.second = new int[capacity];
    this.micros = new int[capacity];
  }

  /** Second 0 of the run: the first intended send. */
  void begin(long nanos) {
    startNanos = nanos;
  }

  void record(long intendedNanos, long ackNanos) {
    int i = size.getAndIncrement();
    if (i >= second.length) {
      return;
    }
    second[i] = (int) ((ackNanos - startNanos) / 1_000_000_000L);
    micros[i] = (int) Math.min(Integer.MAX_VALUE, (ackNanos - intendedNanos) / 1000);
  }

  int size() {
    return Math.min(size.get(), second.length);
  }

  /** Latencies (µs) of acknowledgements that arrived in [fromSecond, toSecond), sorted. */
  int[] window(int fromSecond, int toSecond) {
    int n = size();
    int[] out = new int[n];
    int k = 0;
    for (int i = 0; i < n; i++) {
      if (second[i] >= fromSecond && second[i] < toSecond) {
        out[k++] = micros[i];
      }
    }
    out = Arrays.copyOf(out, k);
    Arrays.sort(out);
    return out;
  }

  /** Acknowledgements per second of the run. */
  int[] perSecond(int seconds) {
    int[] counts = new int[seconds + 1];
    int n = size();
    for (int i = 0; i < n; i++) {
      counts[Math.min(seconds, Math.max(0, second[i]))]++;
    }
    return counts;
  }

  /**
   * One line per second of the run: acknowledgements that arrived in it and their p50, p99 and
   * maximum, so a tail can be placed in time (a pause, a burst of store work) rather than only
   * counted.
   */
  void printTimeline(PrintStream out, int seconds) {
    int[][] bySecond = sortedBySecond(seconds);
    for (int t = 0; t <= seconds; t++) {
      int[] s = bySecond[t];
      if (s.length == 0) {
        continue;
      }
      out.printf(
          "TIMELINE t=%4d acks %6d p50 %7.1f ms p99 %7.1f ms max %7.1f ms%n",
          t, s.length, at(s, 0.50) / 1000.0, at(s, 0.99) / 1000.0, s[s.length - 1] / 1000.0);
    }
  }

  /**
   * The p99 of every second in [fromSecond, toSecond) that had acknowledgements, summed up: the
   * median second, the 90th percentile of the seconds, the worst, and how many seconds were above
   * {@code limitMs}. One bad stretch moves a window's p99 a long way; this says whether the tail is
   * in every second or in a few.
   */
  void printPerSecond(PrintStream out, String label, int fromSecond, int toSecond, double limitMs) {
    int end = Math.min(toSecond, lastSecond() + 1);
    int[][] bySecond = sortedBySecond(Math.max(0, end));
    int[] p99s = new int[Math.max(0, end - fromSecond)];
    int n = 0;
    for (int t = Math.max(0, fromSecond); t < end; t++) {
      if (bySecond[t].length > 0) {
        p99s[n++] = at(bySecond[t], 0.99);
      }
    }
    if (n == 0) {
      out.printf("%s: no acknowledgements%n", label);
      return;
    }
    int[] sorted = Arrays.copyOf(p99s, n);
    Arrays.sort(sorted);
    int above = 0;
    for (int p : sorted) {
      if (p > limitMs * 1000) {
        above++;
      }
    }
    out.printf(
        "%s: p99 of each second: median %.1f ms, 90th percentile %.1f ms, worst %.1f ms;"
            + " %d of %d seconds above %.0f ms%n",
        label,
        at(sorted, 0.50) / 1000.0,
        at(sorted, 0.90) / 1000.0,
        sorted[n - 1] / 1000.0,
        above,
        n,
        limitMs);
  }

  private int lastSecond() {
    int last = 0;
    for (int i = 0; i < size(); i++) {
      last = Math.max(last, second[i]);
    }
    return last;
  }

  /** Latencies (µs) by the second they arrived in, each sorted; later ones count in the last. */
  private int[][] sortedBySecond(int seconds) {
    int n = size();
    int[][] bySecond = new int[seconds + 1][];
    int[] counts = perSecond(seconds);
    for (int t = 0; t <= seconds; t++) {
      bySecond[t] = new int[counts[t]];
    }
    int[] filled = new int[seconds + 1];
    for (int i = 0; i < n; i++) {
      int t = Math.min(seconds, Math.max(0, second[i]));
      bySecond[t][filled[t]++] = micros[i];
    }
    for (int[] s : bySecond) {
      Arrays.sort(s);
    }
    return bySecond;
  }

  static void print(PrintStream out, String label, int[] sorted) {
    if (sorted.length == 0) {
      out.printf("%s: no acknowledgements%n", label);
      return;
    }
    out.printf(
        "%s: %d acks, latency p50 %.1f ms, p99 %.1f ms, p99.9 %.1f ms, max %.1f ms%n",
        label,
        sorted.length,
        at(sorted, 0.50) / 1000.0,
        at(sorted, 0.99) / 1000.0,
        at(sorted, 0.999) / 1000.0,
        sorted[sorted.length - 1] / 1000.0);
  }

  static int at(int[] sorted, double q) {
    return sorted[(int) Math.min(sorted.length - 1, Math.floor(sorted.length * q))];
  }
}
