package org.labmeter.agent.publish;

import java.util.random.RandomGenerator;

/**
 * Exponential backoff with jitter for reconnects: the delay doubles from {@code initialMillis} up
 * to {@code maxMillis}, and each delay is drawn from its upper half so that many agents cut off by
 * one broker restart do not all come back in the same millisecond.
 */
public final class ReconnectBackoff {
  private final long initialMillis;
  private final long maxMillis;
  private final RandomGenerator random;
  private int attempt;

  public ReconnectBackoff(long initialMillis, long maxMillis, RandomGenerator random) {
    if (initialMillis <= 0 || maxMillis < initialMillis) {
      throw new IllegalArgumentException(
          "need 0 < initialMillis <= maxMillis, got " + initialMillis + ", " + maxMillis);
    }
    this.initialMillis = initialMillis;
    this.maxMillis = maxMillis;
    this.random = random;
  }

  /** The delay before the next attempt, in {@code [ceiling / 2, ceiling]}. */
  public long nextDelayMillis() {
    long ceiling = ceilingMillis(attempt);
    if (attempt < 62) {
      attempt++;
    }
    long half = ceiling / 2;
    return half + random.nextLong(ceiling - half + 1);
  }

  /** The ceiling of the {@code n}-th delay (from 0): {@code min(max, initial * 2^n)}. */
  public long ceilingMillis(int n) {
    if (n >= 62 || initialMillis > (maxMillis >> Math.min(n, 62))) {
      return maxMillis;
    }
    return Math.min(maxMillis, initialMillis << n);
  }

  /** After a successful connect: the next failure waits the initial delay again. */
  public void reset() {
    attempt = 0;
  }
}
