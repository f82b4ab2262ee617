package org.labmeter.collector.mqtt;

/**
 * Publish credit of one agent, shared by all its connections (which may run on different event
 * loops, hence the lock; it is held for a few arithmetic operations).
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

  /** Takes a token and returns 0, or takes nothing and returns the nanoseconds until one is due. */
  synchronized long tryTake(long nowNanos) {
    long elapsed = Math.max(0, nowNanos - lastNanos);
    lastNanos = Math.max(lastNanos, nowNanos);
    tokens = Math.min(capacity, tokens + elapsed * perNano);
    if (tokens >= 1) {
      tokens -= 1;
      return 0;
    }
    return Math.max(1, (long) Math.ceil((1 - tokens) / perNano));
  }
}
