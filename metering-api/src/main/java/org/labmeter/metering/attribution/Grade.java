package org.labmeter.metering.attribution;

/**
 * How well a session's hours are backed. A and B are reported as verified, C as declared; see
 * docs/attribution.md for the exact conditions.
 */
public enum Grade {
  /** Verified telemetry, a session, and an invoice or a redeemed voucher. */
  A,
  /** Verified telemetry and a session. */
  B,
  /** A session or manual entry without verified telemetry. */
  C;

  /** Whether hours of this grade are reported as verified rather than declared. */
  public boolean verified() {
    return this != C;
  }
}
