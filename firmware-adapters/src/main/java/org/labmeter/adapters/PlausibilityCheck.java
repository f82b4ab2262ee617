package org.labmeter.adapters;

/**
 * A physical sanity check on decoded values. A wrong register map, a swapped word order or a
 * failing meter produce numbers that decode fine but cannot be true; these checks turn them into
 * {@link Reading.Rejected} so they are flagged, never counted as machine-hours. Non-{@link
 * Reading.Value} readings pass through unchanged.
 */
public interface PlausibilityCheck {

  /**
   * @param timestampMillis device time of the reading
   * @param reading the decoded reading
   * @return the reading itself when plausible, otherwise a {@link Reading.Rejected} saying why
   */
  Reading check(long timestampMillis, Reading reading);

  /** Power must lie in {@code [minW, maxW]}; the bounds come from the instrument's nameplate. */
  static PlausibilityCheck powerRange(double minW, double maxW) {
    return new PowerRangeCheck(minW, maxW);
  }

  /**
   * An energy counter must never decrease and never grow faster than {@code maxKwhPerHour}. The
   * returned check keeps the last accepted value, so use one per meter and per thread.
   */
  static EnergyCounterCheck energyCounter(double maxKwhPerHour) {
    return new EnergyCounterCheck(maxKwhPerHour);
  }
}
