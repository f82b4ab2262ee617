package org.labmeter.collector.mqtt;

/**
 * Publish credit of one agent, shared by all its connections (which may run on different event
 * loops, hence the lock; it is held for a few arithmetic operations). A publish always takes its
 * token, running into debt when there is none: the publish is already decoded, and the caller
 * pauses reading for as long as the debt takes to repay instead of dropping anything.
 */
final class TokenBucket {
  private final double perNano;
  private final double capacity;
  private double tokens;
  private long lastNanos;

  TokenBucket(double perSecond, int burst, long nowNanos) {
    this.perNano = perSecond / 1e9;
    this.capacity = burst;
    this.tokens = burst;
    this.lastNanos = nowNanos;
  }

  /** Takes one token; returns 0 when there was one, else the nanoseconds until the debt is repaid. */
  synchronized long take(long nowNanos) {
    long elapsed = Math.max(0, nowNanos - lastNanos);
    lastNanos = nowNanos;
    tokens = Math.min(capacity, tokens + elapsed * perNano);
    tokens -= 1;
    if (tokens >= 0) {
      return 0;
    }
    return (long) Math.ceil(-tokens / perNano);
  }
}
