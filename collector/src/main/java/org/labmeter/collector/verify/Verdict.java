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
   * @param chainOk whether an unbroken chain of stored batches leads back to a genesis: what the
   *     store records as {@code chain_ok} and the samples' {@code verified}
   * @param late whether its newest sample is older than the verifier's late threshold
   * @param relinked stored batches after it that were unverified and are verified now that it
   *     closed the gap before them: to be written again with {@code chain_ok} true
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
