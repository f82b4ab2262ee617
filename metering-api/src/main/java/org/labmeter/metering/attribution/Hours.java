package org.labmeter.metering.attribution;

/**
 * A duration as exact milliseconds, with the same value in hours for reading. Sums are always taken
 * over {@link #millis()}, never over the doubles, so that totals add up exactly.
 *
 * @param millis the exact duration
 * @param hours {@code millis / 3,600,000} as a double
 */
public record Hours(long millis, double hours) {
  public static final Hours ZERO = ofMillis(0);

  private static final double MILLIS_PER_HOUR = 3_600_000.0;

  public Hours {
    if (hours != millis / MILLIS_PER_HOUR) {
      throw new IllegalArgumentException(
          "hours (" + hours + ") must equal millis / 3,600,000 for millis " + millis);
    }
  }

  public static Hours ofMillis(long millis) {
    return new Hours(millis, millis / MILLIS_PER_HOUR);
  }
}
