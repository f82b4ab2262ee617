package org.labmeter.adapters.serial;

import java.util.Objects;

/**
 * What one reply line of a status query meant. A reply that cannot be used is a value, so that the
 * poller logs it once, counts it by reason and reports the instrument as unavailable, never as
 * idle.
 */
public sealed interface StatusReply {

  /**
   * The instrument stated its status.
   *
   * @param status what it said
   * @param detail the evidence, for the log: the register value or the matched text
   */
  record Known(InstrumentStatus status, String detail) implements StatusReply {
    public Known {
      Objects.requireNonNull(status, "status");
      Objects.requireNonNull(detail, "detail");
    }
  }

  /**
   * The reply cannot be used.
   *
   * @param reason a metric tag: {@link #GARBAGE}, {@link #UNMATCHED} or {@link #UNMAPPED}
   * @param detail what was wrong, with the reply as received (escaped), for the log
   */
  record Unusable(String reason, String detail) implements StatusReply {
    /** Control characters or bytes outside printable ASCII, or not the number a query asked. */
    public static final String GARBAGE = "garbage";

    /** Printable, but the reply pattern does not match it. */
    public static final String UNMATCHED = "unmatched";

    /** The pattern matched a value that the configured mapping does not name. */
    public static final String UNMAPPED = "unmapped";

    public Unusable {
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(detail, "detail");
    }
  }
}
