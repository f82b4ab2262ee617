package org.labmeter.metering.derive;

/**
 * The state of an instrument over an interval, in the spirit of SEMI E10. {@link #UNKNOWN} is a
 * state of its own: time without trustworthy telemetry is reported as such and never folded into
 * OFF or ACTIVE.
 */
public enum RunState {
  /** Power below the profile's OFF level, or an IDLE flag with such power. */
  OFF,
  /** Powered but not running: the low hysteresis level at or above the OFF level. */
  STANDBY,
  /** Running: the high hysteresis level, or a RUNNING flag. */
  ACTIVE,
  /** The instrument reported a fault through its run flag. */
  FAULT,
  /** No sample holds: before the first sample, across a gap, or an unavailable reading. */
  UNKNOWN;

  private static final RunState[] BY_ORDINAL = values();

  static RunState ofOrdinal(int ordinal) {
    return BY_ORDINAL[ordinal];
  }
}
