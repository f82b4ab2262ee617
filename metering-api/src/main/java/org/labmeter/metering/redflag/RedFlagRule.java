package org.labmeter.metering.redflag;

/**
 * The patterns worth a second look before an evaluator accepts the hours. See docs/red-flags.md.
 */
public enum RedFlagRule {
  /**
   * ACTIVE for a long stretch with power too steady for a real instrument (a resistive dummy load).
   */
  DUMMY_LOAD,
  /** ACTIVE nearly all day for several days in a row. */
  AROUND_THE_CLOCK,
  /** A large share of ACTIVE time that no session (booking, login, card, ...) covers. */
  UNBOOKED_ACTIVE,
  /** Much of a period's external hours in its last weeks, just before the evaluation deadline. */
  DEADLINE_BUNCHING,
  /** Energy per ACTIVE hour far from the instrument's norm (its own median, or a declared norm). */
  ENERGY_OFF_NORM,
  /** The standby power baseline jumped: the sensor may have been moved to another instrument. */
  SIGNATURE_CHANGE,
  /** The energy counter went backwards: the meter was reset, replaced or unplugged. */
  COUNTER_RESET
}
