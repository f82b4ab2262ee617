package org.labmeter.wire;

/**
 * What the instrument itself says about running, independent of power. {@link #NONE} means the
 * device has no such signal (power decides); the others outrank power in derivation.
 */
public enum RunFlag {
  NONE(0),
  IDLE(1),
  RUNNING(2),
  FAULT(3);

  private final int code;

  RunFlag(int code) {
    this.code = code;
  }

  public int code() {
    return code;
  }

  /** Returns the flag for a wire code, or {@code null} when the code is not defined in v1. */
  public static RunFlag ofCode(int code) {
    for (RunFlag f : values()) {
      if (f.code == code) {
        return f;
      }
    }
    return null;
  }
}
