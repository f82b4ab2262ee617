package org.labmeter.collector.verify;

/**
 * How an accepted batch relates to the head of its chain. Only the first three keep the chain
 * intact; the others are stored but marked unverified, because an evaluator cannot prove that no
 * batch is missing before them.
 */
public enum ChainLink {
  /** Sequence 0 with a zero previous hash and no head yet. */
  GENESIS(true, true),
  /** Sequence head + 1 naming the head's hash. */
  LINKED(true, true),
  /** Sequence 0 with a zero previous hash although a head existed: the agent lost its state. */
  RESTARTED(true, true),
  /** Sequence beyond head + 1, or no head and sequence above 0: batches are missing. */
  GAP(false, true),
  /** Sequence head + 1 but naming another hash: the chain forked. */
  BROKEN(false, true),
  /** Sequence at or below the head and not a known duplicate: stored again, head unchanged. */
  STALE(false, false);

  private final boolean intact;
  private final boolean advancesHead;

  ChainLink(boolean intact, boolean advancesHead) {
    this.intact = intact;
    this.advancesHead = advancesHead;
  }

  public boolean intact() {
    return intact;
  }

  public boolean advancesHead() {
    return advancesHead;
  }
}
