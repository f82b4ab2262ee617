package org.labmeter.wire;

import java.util.Objects;

/**
 * One observation of one instrument at a device timestamp. Absent values are {@code NaN}, never
 * zero: a meter that did not answer must not look like an instrument that was off.
 *
 * @param timestampMillis device time, milliseconds since the Unix epoch (UTC)
 * @param powerW active power in watts, or NaN when not measured
 * @param energyKwh energy counter in kWh, or NaN when the device has none
 * @param runFlag the instrument's own run signal
 * @param quality how far the values can be trusted
 */
public record Sample(
    long timestampMillis, double powerW, double energyKwh, RunFlag runFlag, Quality quality) {

  public Sample {
    Objects.requireNonNull(runFlag, "runFlag");
    Objects.requireNonNull(quality, "quality");
  }

  /** A sample for a device that did not answer: no values, just the fact and the time. */
  public static Sample unavailable(long timestampMillis) {
    return new Sample(timestampMillis, Double.NaN, Double.NaN, RunFlag.NONE, Quality.UNAVAILABLE);
  }

  public static Sample power(long timestampMillis, double powerW, double energyKwh) {
    return new Sample(timestampMillis, powerW, energyKwh, RunFlag.NONE, Quality.GOOD);
  }
}
