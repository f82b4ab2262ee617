package org.labmeter.metering.derive;

/**
 * Milliseconds spent in each state. Five plain fields rather than a map, so that a result is a
 * value that compares, prints and serialises the same everywhere.
 */
public record StateDurations(
    long offMillis, long standbyMillis, long activeMillis, long faultMillis, long unknownMillis) {

  public static final StateDurations ZERO = new StateDurations(0, 0, 0, 0, 0);

  static StateDurations of(long[] byOrdinal) {
    return new StateDurations(
        byOrdinal[RunState.OFF.ordinal()],
        byOrdinal[RunState.STANDBY.ordinal()],
        byOrdinal[RunState.ACTIVE.ordinal()],
        byOrdinal[RunState.FAULT.ordinal()],
        byOrdinal[RunState.UNKNOWN.ordinal()]);
  }

  public long millis(RunState state) {
    return switch (state) {
      case OFF -> offMillis;
      case STANDBY -> standbyMillis;
      case ACTIVE -> activeMillis;
      case FAULT -> faultMillis;
      case UNKNOWN -> unknownMillis;
    };
  }

  public long totalMillis() {
    return offMillis + standbyMillis + activeMillis + faultMillis + unknownMillis;
  }

  /** Field-by-field sum; adding the results of adjacent windows gives the joined window's. */
  public StateDurations plus(StateDurations o) {
    return new StateDurations(
        offMillis + o.offMillis,
        standbyMillis + o.standbyMillis,
        activeMillis + o.activeMillis,
        faultMillis + o.faultMillis,
        unknownMillis + o.unknownMillis);
  }
}
