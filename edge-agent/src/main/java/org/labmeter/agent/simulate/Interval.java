package org.labmeter.agent.simulate;

/**
 * A half-open span of time {@code [fromMillis, toMillis)}, milliseconds since the Unix epoch.
 *
 * @param fromMillis first millisecond inside
 * @param toMillis first millisecond after
 */
public record Interval(long fromMillis, long toMillis) {

  public Interval {
    if (toMillis < fromMillis) {
      throw new IllegalArgumentException(
          "interval ends before it starts: " + fromMillis + ".." + toMillis);
    }
  }

  public long durationMillis() {
    return toMillis - fromMillis;
  }

  public boolean contains(long timestampMillis) {
    return timestampMillis >= fromMillis && timestampMillis < toMillis;
  }
}
