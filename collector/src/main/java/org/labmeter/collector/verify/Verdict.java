package org.labmeter.collector.verify;

import java.util.Objects;
import org.labmeter.wire.SignedBatch;

/** What {@link BatchVerifier} decided about one payload. */
public sealed interface Verdict {

  /**
   * A batch to store: its signature verified with the agent's key.
   *
   * @param link its place in the chain; {@link #chainOk()} is what the store records as verified
   * @param late whether its newest sample is older than the verifier's late threshold
   */
  record Accepted(SignedBatch batch, ChainLink link, boolean late) implements Verdict {
    public Accepted {
      Objects.requireNonNull(batch, "batch");
      Objects.requireNonNull(link, "link");
    }

    public boolean chainOk() {
      return link.intact();
    }
  }

  /** The same batch as one already stored; acknowledge, do not write. */
  record Duplicate(SignedBatch batch) implements Verdict {}

  /** Never stored; {@code detail} says what was wrong, for the log and the quarantine. */
  record Rejected(RejectReason reason, String detail) implements Verdict {
    public Rejected {
      Objects.requireNonNull(reason, "reason");
    }
  }
}
