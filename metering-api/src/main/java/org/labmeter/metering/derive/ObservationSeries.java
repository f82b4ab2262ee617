package org.labmeter.metering.derive;

import java.util.Arrays;
import java.util.Objects;
import org.labmeter.wire.Quality;
import org.labmeter.wire.RunFlag;
import org.labmeter.wire.Sample;

/**
 * The samples of one instrument, sorted by time with unique timestamps, held column by column in
 * primitive arrays so that derivation touches no per-sample object. Immutable once built.
 *
 * <p>The store may return a retried write twice and rows in any order, so {@link Builder#build()}
 * sorts by timestamp (stably) and keeps, of several samples with the same timestamp, the one added
 * first. Identical duplicates therefore vanish; differing samples at one timestamp resolve to the
 * first added, which the caller controls through the order it reads rows in.
 */
public final class ObservationSeries {
  /**
   * Largest accepted |timestamp|; far beyond any real date (about 73 million years), and small
   * enough that differences and sums of timestamps and profile durations never overflow.
   */
  public static final long MAX_ABS_TIMESTAMP_MILLIS = Long.MAX_VALUE / 4;

  private static final ObservationSeries EMPTY =
      new ObservationSeries(new long[0], new double[0], new byte[0], new byte[0], new boolean[0]);
  private static final RunFlag[] FLAGS_BY_CODE = flagsByCode();
  private static final Quality[] QUALITIES_BY_CODE = qualitiesByCode();

  // Package-private: the deriver reads the columns directly on its hot path.
  final long[] timestampMillis;
  final double[] powerW;
  final byte[] runFlag;
  final byte[] quality;
  final boolean[] verified;

  private ObservationSeries(
      long[] timestampMillis, double[] powerW, byte[] runFlag, byte[] quality, boolean[] verified) {
    this.timestampMillis = timestampMillis;
    this.powerW = powerW;
    this.runFlag = runFlag;
    this.quality = quality;
    this.verified = verified;
  }

  public static Builder builder() {
    return new Builder(16);
  }

  /** A builder sized for about {@code expectedSamples} samples (it still grows past that). */
  public static Builder builder(int expectedSamples) {
    return new Builder(Math.max(1, expectedSamples));
  }

  public static ObservationSeries empty() {
    return EMPTY;
  }

  public int size() {
    return timestampMillis.length;
  }

  public boolean isEmpty() {
    return timestampMillis.length == 0;
  }

  public long timestampMillis(int i) {
    return timestampMillis[i];
  }

  /** Active power in watts, NaN when the sample has none. */
  public double powerW(int i) {
    return powerW[i];
  }

  public RunFlag runFlag(int i) {
    return FLAGS_BY_CODE[runFlag[i]];
  }

  public Quality quality(int i) {
    return QUALITIES_BY_CODE[quality[i]];
  }

  /** Whether the sample came from a batch whose signature and hash chain checked out. */
  public boolean verified(int i) {
    return verified[i];
  }

  /** The samples with timestamps in [fromMillis, toMillis); shares nothing with this series. */
  public ObservationSeries slice(long fromMillis, long toMillis) {
    int a = lowerBound(fromMillis);
    int b = Math.max(a, lowerBound(toMillis));
    if (a == 0 && b == size()) {
      return this;
    }
    if (a == b) {
      return EMPTY;
    }
    return new ObservationSeries(
        Arrays.copyOfRange(timestampMillis, a, b),
        Arrays.copyOfRange(powerW, a, b),
        Arrays.copyOfRange(runFlag, a, b),
        Arrays.copyOfRange(quality, a, b),
        Arrays.copyOfRange(verified, a, b));
  }

  /**
   * The series one after the other. Each must end before the next begins (pieces of one series cut
   * at increasing times), so the result is what one read of the whole range would have built.
   *
   * @throws IllegalArgumentException when two pieces overlap or are out of order
   */
  public static ObservationSeries concat(java.util.List<ObservationSeries> parts) {
    int n = 0;
    long last = Long.MIN_VALUE;
    for (ObservationSeries s : parts) {
      if (s.isEmpty()) {
        continue;
      }
      if (n > 0 && s.timestampMillis[0] <= last) {
        throw new IllegalArgumentException("pieces overlap or are out of order at " + last);
      }
      n += s.size();
      last = s.timestampMillis[s.size() - 1];
    }
    if (n == 0) {
      return EMPTY;
    }
    long[] t = new long[n];
    double[] p = new double[n];
    byte[] f = new byte[n];
    byte[] q = new byte[n];
    boolean[] v = new boolean[n];
    int at = 0;
    for (ObservationSeries s : parts) {
      int k = s.size();
      System.arraycopy(s.timestampMillis, 0, t, at, k);
      System.arraycopy(s.powerW, 0, p, at, k);
      System.arraycopy(s.runFlag, 0, f, at, k);
      System.arraycopy(s.quality, 0, q, at, k);
      System.arraycopy(s.verified, 0, v, at, k);
      at += k;
    }
    return new ObservationSeries(t, p, f, q, v);
  }

  /** The first index whose timestamp is at or after {@code millis}. */
  private int lowerBound(long millis) {
    int lo = 0;
    int hi = timestampMillis.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (timestampMillis[mid] < millis) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  @Override
  public String toString() {
    return size() == 0
        ? "ObservationSeries[empty]"
        : "ObservationSeries["
            + size()
            + " samples, "
            + timestampMillis[0]
            + ".."
            + timestampMillis[size() - 1]
            + "]";
  }

  private static RunFlag[] flagsByCode() {
    RunFlag[] table = new RunFlag[RunFlag.values().length];
    for (RunFlag f : RunFlag.values()) {
      table[f.code()] = f;
    }
    return table;
  }

  private static Quality[] qualitiesByCode() {
    Quality[] table = new Quality[Quality.values().length];
    for (Quality q : Quality.values()) {
      table[q.code()] = q;
    }
    return table;
  }

  /**
   * Append-only collector of samples in any order. Not thread-safe. {@link #build()} copies, so the
   * builder may keep growing afterwards.
   */
  public static final class Builder {
    private long[] ts;
    private double[] power;
    private byte[] flag;
    private byte[] qual;
    private boolean[] ver;
    private int size;

    private Builder(int capacity) {
      ts = new long[capacity];
      power = new double[capacity];
      flag = new byte[capacity];
      qual = new byte[capacity];
      ver = new boolean[capacity];
    }

    /**
     * Appends one sample.
     *
     * @param timestampMillis device time in epoch milliseconds
     * @param powerW active power in watts, NaN when absent
     * @param runFlag the instrument's own run signal
     * @param quality how far the values can be trusted
     * @param verified whether the sample's batch passed signature and hash-chain checks
     */
    public Builder add(
        long timestampMillis, double powerW, RunFlag runFlag, Quality quality, boolean verified) {
      Objects.requireNonNull(runFlag, "runFlag");
      Objects.requireNonNull(quality, "quality");
      if (timestampMillis > MAX_ABS_TIMESTAMP_MILLIS
          || timestampMillis < -MAX_ABS_TIMESTAMP_MILLIS) {
        throw new IllegalArgumentException(
            "timestampMillis (" + timestampMillis + ") is outside the supported range");
      }
      if (size == ts.length) {
        grow();
      }
      ts[size] = timestampMillis;
      power[size] = powerW;
      flag[size] = (byte) runFlag.code();
      qual[size] = (byte) quality.code();
      ver[size] = verified;
      size++;
      return this;
    }

    /** Appends a wire sample (its energy counter plays no part in derivation). */
    public Builder add(Sample sample, boolean verified) {
      return add(
          sample.timestampMillis(), sample.powerW(), sample.runFlag(), sample.quality(), verified);
    }

    public int size() {
      return size;
    }

    /** Sorts by timestamp and drops later samples with an already-seen timestamp. */
    public ObservationSeries build() {
      if (size == 0) {
        return EMPTY;
      }
      if (strictlyIncreasing()) {
        return new ObservationSeries(
            Arrays.copyOf(ts, size),
            Arrays.copyOf(power, size),
            Arrays.copyOf(flag, size),
            Arrays.copyOf(qual, size),
            Arrays.copyOf(ver, size));
      }
      int[] order = TimestampOrder.stableOrder(ts, size);
      int unique = 1;
      for (int k = 1; k < size; k++) {
        if (ts[order[k]] != ts[order[k - 1]]) {
          unique++;
        }
      }
      long[] t = new long[unique];
      double[] p = new double[unique];
      byte[] f = new byte[unique];
      byte[] q = new byte[unique];
      boolean[] v = new boolean[unique];
      int out = 0;
      for (int k = 0; k < size; k++) {
        int i = order[k];
        if (k > 0 && ts[i] == ts[order[k - 1]]) {
          continue;
        }
        t[out] = ts[i];
        p[out] = power[i];
        f[out] = flag[i];
        q[out] = qual[i];
        v[out] = ver[i];
        out++;
      }
      return new ObservationSeries(t, p, f, q, v);
    }

    private boolean strictlyIncreasing() {
      for (int i = 1; i < size; i++) {
        if (ts[i] <= ts[i - 1]) {
          return false;
        }
      }
      return true;
    }

    private void grow() {
      int capacity = Math.max(16, ts.length + (ts.length >> 1));
      ts = Arrays.copyOf(ts, capacity);
      power = Arrays.copyOf(power, capacity);
      flag = Arrays.copyOf(flag, capacity);
      qual = Arrays.copyOf(qual, capacity);
      ver = Arrays.copyOf(ver, capacity);
    }
  }
}
