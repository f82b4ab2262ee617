package org.labmeter.wire;

/**
 * How much a sample can be trusted. An UNAVAILABLE sample says "the device did not answer at this
 * time" and carries no values: derivation counts its interval as UNKNOWN, never as OFF.
 */
public enum Quality {
  GOOD(0),
  /** Read from the device but failed a plausibility check; kept and flagged, never dropped. */
  SUSPECT(1),
  UNAVAILABLE(2);

  private final int code;

  Quality(int code) {
    this.code = code;
  }

  public int code() {
    return code;
  }

  /** Returns the quality for a wire code, or {@code null} when the code is not defined in v1. */
  public static Quality ofCode(int code) {
    for (Quality q : values()) {
      if (q.code == code) {
        return q;
      }
    }
    return null;
  }
}
