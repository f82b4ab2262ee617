package org.labmeter.collector.verify;

import java.util.List;
import java.util.Objects;
import org.labmeter.wire.SignedBatch;

/** What {@link BatchVerifier} decided about one payload. */
public sealed interface Verdict {

  /**
   * A batch to store: its signature verified with the agent's key.
   *
   * @param link its place in the chain
   * @param chainOk whether its link is confirmed (a genesis, or its previous hash is the hash of
   *     the stored batch before it): what the store records as {@code chain_ok} and the samples'
   *     {@code verified}
   * @param late whether its newest sample is older than the verifier's late threshold
   * @param relinked the stored batch after it, when it was unverified and names this batch's hash:
   *     confirmed now, to be written again with {@code chain_ok} true (empty or one entry)
   */
  record Accepted(
      SignedBatch batch, ChainLink link, boolean chainOk, boolean late, List<ChainEntry> relinked)
      implements Verdict {
    public Accepted {
      Objects.requireNonNull(batch, "batch");
      Objects.requireNonNull(link, "link");
      relinked = List.copyOf(relinked);
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
