package org.labmeter.agent.simulate;

import java.time.Duration;

/**
 * How fast simulated instruments change state. {@link #NORMAL} looks like a working day of a
 * facility (runs of minutes to an hour); {@link #COMPRESSED} fits several runs into an hour so that
 * tests and demos see sessions come and go quickly. Both keep the gaps that make the kind's
 * recommended thresholds reproduce the ground truth.
 */
public enum Pace {
  NORMAL(
      Duration.ofHours(8),
      span(Duration.ofMinutes(10), Duration.ofMinutes(60)),
      span(Duration.ofMinutes(2), Duration.ofMinutes(10)),
      span(Duration.ofMinutes(5), Duration.ofMinutes(60)),
      span(Duration.ofMinutes(3), Duration.ofMinutes(20)),
      span(Duration.ofMinutes(30), Duration.ofMinutes(120)),
      4),
  COMPRESSED(
      Duration.ofHours(1),
      span(Duration.ofMinutes(3), Duration.ofMinutes(6)),
      span(Duration.ofMinutes(1), Duration.ofMinutes(2)),
      span(Duration.ofMinutes(3), Duration.ofMinutes(8)),
      span(Duration.ofSeconds(150), Duration.ofMinutes(4)),
      span(Duration.ofMinutes(3), Duration.ofMinutes(6)),
      3);

  private final long segmentMillis;
  private final long[] standby;
  private final long[] warmup;
  private final long[] run;
  private final long[] idle;
  private final long[] off;
  private final int maxRunsPerSession;

  Pace(
      Duration segment,
      long[] standby,
      long[] warmup,
      long[] run,
      long[] idle,
      long[] off,
      int maxRunsPerSession) {
    this.segmentMillis = segment.toMillis();
    this.standby = standby;
    this.warmup = warmup;
    this.run = run;
    this.idle = idle;
    this.off = off;
    this.maxRunsPerSession = maxRunsPerSession;
  }

  private static long[] span(Duration min, Duration max) {
    return new long[] {min.toMillis(), max.toMillis()};
  }

  /** The name used in configuration files. */
  public String configName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  /** Length of one independently planned stretch of the timeline; no run crosses its edges. */
  long segmentMillis() {
    return segmentMillis;
  }

  long[] standbyMillis() {
    return standby;
  }

  long[] warmupMillis() {
    return warmup;
  }

  long[] runMillis() {
    return run;
  }

  long[] idleMillis() {
    return idle;
  }

  long[] offMillis() {
    return off;
  }

  int maxRunsPerSession() {
    return maxRunsPerSession;
  }
}
