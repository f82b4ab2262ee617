package org.labmeter.agent.outbox;

import java.util.Objects;
import org.labmeter.wire.BatchHash;
import org.labmeter.wire.SignedBatch;

/**
 * Where an instrument's hash chain stands: the next batch gets {@code nextSequence} and links to
 * {@code previousHash}. Losing this would make the agent restart at sequence 0 or reuse a sequence,
 * a fork that no evaluator could tell from tampering, so it is recovered from disk at every start.
 *
 * @param nextSequence sequence of the next batch
 * @param previousHash hash of the batch with {@code nextSequence - 1}, or {@link BatchHash#ZERO}
 * @param lastSampleMillis timestamp of the newest sample sealed, or {@link Long#MIN_VALUE}
 */
public record ChainState(long nextSequence, BatchHash previousHash, long lastSampleMillis) {
  public static final ChainState INITIAL = new ChainState(0, BatchHash.ZERO, Long.MIN_VALUE);

  public ChainState {
    if (nextSequence < 0) {
      throw new IllegalArgumentException("nextSequence must be >= 0, got " + nextSequence);
    }
    Objects.requireNonNull(previousHash, "previousHash");
    if (nextSequence == 0 && !previousHash.isZero()) {
      throw new IllegalArgumentException("a chain at sequence 0 links to the zero hash");
    }
  }

  /** The state after {@code batch} was sealed. */
  public static ChainState after(SignedBatch batch) {
    return new ChainState(
        batch.batch().sequence() + 1, batch.hash(), batch.batch().lastTimestampMillis());
  }

  /** The later of two states of the same chain. */
  public static ChainState later(ChainState a, ChainState b) {
    return a.nextSequence >= b.nextSequence ? a : b;
  }
}
