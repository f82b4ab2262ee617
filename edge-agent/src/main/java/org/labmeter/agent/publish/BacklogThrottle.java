package org.labmeter.agent.publish;

import java.util.function.LongSupplier;

/**
 * A token bucket for backlog batches: {@code perSecond} tokens a second, at most {@code burst}
 * saved up. A rate of 0 lets everything through.
 *
 * <p>Confined to the agent's executor.
 */
final class BacklogThrottle {
  private static final long NANOS_PER_SECOND = 1_000_000_000L;

  private final int perSecond;
  private final int burst;
  private final LongSupplier nanoTime;
  private final long nanosPerToken;
  private double tokens;
  private long lastNanos;

  BacklogThrottle(int perSecond, int burst, LongSupplier nanoTime) {
    this.perSecond = perSecond;
    this.burst = Math.max(1, burst);
    this.nanoTime = nanoTime;
    this.nanosPerToken = perSecond == 0 ? 0 : NANOS_PER_SECOND / perSecond;
    this.lastNanos = nanoTime.getAsLong();
    this.tokens = this.burst;
  }

  /** Takes one token if there is one. */
  boolean tryTake() {
    if (perSecond == 0) {
      return true;
    }
    refill();
    if (tokens >= 1) {
      tokens -= 1;
      return true;
    }
    return false;
  }

  /** Nanoseconds until the next token, at least 1. */
  long nanosUntilNext() {
    refill();
    return Math.max(1, (long) Math.ceil((1 - tokens) * nanosPerToken));
  }

  private void refill() {
    long now = nanoTime.getAsLong();
    long elapsed = now - lastNanos;
    lastNanos = now;
    if (elapsed > 0) {
      tokens = Math.min(burst, tokens + (double) elapsed / nanosPerToken);
    }
  }
}
