package org.labmeter.collector.verify;

/**
 * How an accepted batch relates to its chain. GAP and BROKEN batches are stored unverified, because
 * an evaluator cannot prove that no batch is missing before them; a GAP batch becomes verified
 * later, when the batches before it arrive ({@link #FILLED}). Whether a batch is verified is {@link
 * Verdict.Accepted#chainOk()}: a LINKED batch after an unverified head is unverified too.
 */
public enum ChainLink {
  /** Sequence 0 with a zero previous hash and no head yet. */
  GENESIS,
  /** Sequence head + 1 naming the head's hash. */
  LINKED,
  /** Sequence 0 with a zero previous hash although a head existed: the agent lost its state. */
  RESTARTED,
  /** Sequence beyond head + 1, or no head and sequence above 0: batches are missing. */
  GAP,
  /**
   * Sequence head + 1 naming another hash, or a gap filler whose stored neighbour names another
   * hash: the chain broke there.
   */
  BROKEN,
  /**
   * Below the head, in a gap, linking to its stored neighbours: verified when its predecessor is
   * stored (or it is a genesis); the stored batch after it is verified now too. Head unchanged.
   */
  FILLED;
}
