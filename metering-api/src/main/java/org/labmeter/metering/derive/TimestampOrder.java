package org.labmeter.metering.derive;

/**
 * A stable sort of sample indices by timestamp on primitive arrays. Stability is what makes "the
 * first added sample wins" hold for duplicate timestamps.
 */
final class TimestampOrder {
  private TimestampOrder() {}

  /** Indices 0..size-1 ordered by {@code ts}, equal timestamps in index order (bottom-up merge). */
  static int[] stableOrder(long[] ts, int size) {
    int[] a = new int[size];
    for (int i = 0; i < size; i++) {
      a[i] = i;
    }
    int[] b = new int[size];
    for (int width = 1; width < size; width <<= 1) {
      for (int lo = 0; lo < size; lo += width << 1) {
        int mid = Math.min(lo + width, size);
        int hi = Math.min(lo + (width << 1), size);
        int i = lo;
        int j = mid;
        int k = lo;
        while (i < mid && j < hi) {
          // "<=" takes the left (earlier) index on ties: that is the stability.
          b[k++] = ts[a[i]] <= ts[a[j]] ? a[i++] : a[j++];
        }
        while (i < mid) {
          b[k++] = a[i++];
        }
        while (j < hi) {
          b[k++] = a[j++];
        }
      }
      int[] swap = a;
      a = b;
      b = swap;
    }
    return a;
  }
}
