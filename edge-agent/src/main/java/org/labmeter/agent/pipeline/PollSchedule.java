package org.labmeter.agent.pipeline;

import org.labmeter.agent.config.SamplingMode;

/**
 * Which sample timestamps are due. Timestamps lie on the period grid ({@code k * period}), so two
 * agents, or one agent before and after a restart, sample the same instants. Live sampling produces
 * every grid instant up to now (so a late wake-up catches up rather than leaving a gap); a window
 * produces every grid instant of {@code [from, to)} at once and then is done.
 */
public final class PollSchedule {
  private final long periodMillis;
  private final long endExclusive;
  private final boolean live;
  private long next;

  private PollSchedule(long periodMillis, long first, long endExclusive, boolean live) {
    this.periodMillis = periodMillis;
    this.next = first;
    this.endExclusive = endExclusive;
    this.live = live;
  }

  /**
   * @param nowMillis the agent's clock at start
   * @param lastSampleMillis newest sample sealed before a restart, or {@link Long#MIN_VALUE}; live
   *     sampling resumes after it rather than producing those instants again
   */
  public static PollSchedule of(
      SamplingMode mode, long periodMillis, long nowMillis, long lastSampleMillis) {
    if (mode instanceof SamplingMode.Window window) {
      return new PollSchedule(
          periodMillis, ceilToGrid(window.fromMillis(), periodMillis), window.toMillis(), false);
    }
    SamplingMode.Live live = (SamplingMode.Live) mode;
    long first = ceilToGrid(nowMillis - live.backfillSeconds() * 1000, periodMillis);
    if (lastSampleMillis != Long.MIN_VALUE && lastSampleMillis >= first) {
      first = ceilToGrid(lastSampleMillis + 1, periodMillis);
    }
    return new PollSchedule(periodMillis, first, Long.MAX_VALUE, true);
  }

  private static long ceilToGrid(long millis, long period) {
    return Math.floorDiv(millis + period - 1, period) * period;
  }

  /** True when the next instant is due at {@code nowMillis}. */
  public boolean due(long nowMillis) {
    return !finished() && (!live || next <= nowMillis);
  }

  /** The next instant; call only when {@link #due}. */
  public long take() {
    long t = next;
    next += periodMillis;
    return t;
  }

  /** A window whose last instant was taken; a live schedule never finishes. */
  public boolean finished() {
    return next >= endExclusive;
  }

  /** Milliseconds until the next instant is due, 0 when it is due now. */
  public long delayMillis(long nowMillis) {
    if (finished()) {
      return Long.MAX_VALUE;
    }
    return live ? Math.max(0, next - nowMillis) : 0;
  }

  public boolean live() {
    return live;
  }
}
