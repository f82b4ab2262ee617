package org.labmeter.adapters;

/**
 * Accepts an energy counter reading when it is not lower than the last accepted one and has not
 * grown by more than the instrument can draw in the elapsed time. A rejected reading does not move
 * the baseline, so one garbled read does not make every later good read look like a jump. A meter
 * that was replaced or reset keeps being rejected until {@link #reset()}.
 *
 * <p>Not thread-safe: one instance per meter, used by the thread that polls it.
 */
public final class EnergyCounterCheck implements PlausibilityCheck {
  private static final double MILLIS_PER_HOUR = 3_600_000.0;

  private final double maxKwhPerHour;
  private boolean hasBaseline;
  private long lastTimestampMillis;
  private double lastKwh;

  /**
   * @param maxKwhPerHour the most energy the instrument can take in one hour (its peak power in kW,
   *     with a margin)
   */
  public EnergyCounterCheck(double maxKwhPerHour) {
    if (!Double.isFinite(maxKwhPerHour) || maxKwhPerHour <= 0) {
      throw new IllegalArgumentException(
          "maxKwhPerHour must be finite and > 0, got " + maxKwhPerHour);
    }
    this.maxKwhPerHour = maxKwhPerHour;
  }

  public double maxKwhPerHour() {
    return maxKwhPerHour;
  }

  @Override
  public Reading check(long timestampMillis, Reading reading) {
    if (!(reading instanceof Reading.Value value)) {
      return reading;
    }
    double kwh = value.value();
    if (kwh < 0) {
      return new Reading.Rejected(value.quantity() + " counter is negative: " + kwh + " kWh");
    }
    if (!hasBaseline) {
      accept(timestampMillis, kwh);
      return reading;
    }
    if (timestampMillis <= lastTimestampMillis) {
      return new Reading.Rejected(
          value.quantity()
              + " reading at "
              + timestampMillis
              + " is not after the last accepted one at "
              + lastTimestampMillis);
    }
    if (kwh < lastKwh) {
      return new Reading.Rejected(
          value.quantity() + " counter went backwards from " + lastKwh + " to " + kwh + " kWh");
    }
    double hours = (timestampMillis - lastTimestampMillis) / MILLIS_PER_HOUR;
    double allowed = maxKwhPerHour * hours;
    double increase = kwh - lastKwh;
    if (increase > allowed) {
      return new Reading.Rejected(
          value.quantity()
              + " counter grew by "
              + increase
              + " kWh in "
              + (timestampMillis - lastTimestampMillis)
              + " ms; at most "
              + maxKwhPerHour
              + " kWh per hour is plausible");
    }
    accept(timestampMillis, kwh);
    return reading;
  }

  /** Forgets the baseline, e.g. after an operator confirmed that the meter was replaced. */
  public void reset() {
    hasBaseline = false;
  }

  private void accept(long timestampMillis, double kwh) {
    hasBaseline = true;
    lastTimestampMillis = timestampMillis;
    lastKwh = kwh;
  }
}
