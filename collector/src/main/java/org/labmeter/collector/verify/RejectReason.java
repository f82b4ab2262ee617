package org.labmeter.collector.verify;

import java.util.Locale;

/** Why a telemetry payload was refused; each is a tag of {@code collector.rejected}. */
public enum RejectReason {
  /** Not a v1 envelope: wrong magic, truncated, trailing bytes, values out of range. */
  MALFORMED,
  /** A well-formed header with an envelope version this collector does not know. */
  UNSUPPORTED_VERSION,
  /** The envelope names another agent than the connection's topic. */
  AGENT_MISMATCH,
  /** The envelope names another instrument than the topic. */
  INSTRUMENT_MISMATCH,
  /** The signature does not verify with the agent's enrolled key. */
  BAD_SIGNATURE,
  /** A sample is further in the future than the allowed clock skew. */
  FUTURE_TIMESTAMP,
  /** A sequence already stored with another hash: a second version of history, never stored. */
  FORK;

  public String tag() {
    return name().toLowerCase(Locale.ROOT);
  }
}
