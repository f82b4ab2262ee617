package org.labmeter.collector.verify;

import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

/**
 * The recent batches of one chain that the verifier remembers, by sequence, plus what the group in
 * progress noted on top of them. Notes become part of the window on {@link #commit} (after the
 * group was stored) and vanish on {@link #discard} (the group failed), so the window never holds a
 * batch the store does not have.
 *
 * <p>Bounded: at most {@code capacity} links (the lowest sequences go first; the store answers for
 * them), and unverified batches keep their envelopes only up to {@code maxBatchBytes} in all. Only
 * the worker of the chain's agent touches a window.
 */
final class ChainWindow {
  private final int capacity;
  private final long maxBatchBytes;
  private final TreeMap<Long, ChainEntry> committed = new TreeMap<>();
  private final TreeMap<Long, ChainEntry> pending = new TreeMap<>();
  private ChainHead pendingHead;
  private boolean pendingRestart;
  private long pendingStartTs;
  private long startTs = Long.MIN_VALUE;
  private boolean startKnown;
  private long batchBytes;
  private final TreeMap<Long, ChainEntry> page = new TreeMap<>();
  private long pageFrom = 1;
  private long pageTo;

  /** Taken by a group that has not committed or discarded yet (see {@link ChainWindows}). */
  volatile boolean inUse;

  ChainWindow(int capacity, long maxBatchBytes) {
    this.capacity = capacity;
    this.maxBatchBytes = maxBatchBytes;
  }

  ChainEntry get(long sequence) {
    ChainEntry e = pending.get(sequence);
    if (e != null || pendingRestart) {
      return e;
    }
    return committed.get(sequence);
  }

  /** Whether the store page read for this group covers {@code sequence}. */
  boolean pageCovers(long sequence) {
    return sequence >= pageFrom && sequence <= pageTo;
  }

  /** The page's row for {@code sequence} (with its batch), or null when the store had none. */
  ChainEntry fromPage(long sequence) {
    return page.get(sequence);
  }

  /**
   * What the store holds for sequences {@code from..to}, read once for the group in progress; the
   * window's own entries and notes still come first. Forgotten at the end of the group.
   */
  void page(long from, long to, Iterable<ChainEntry> rows) {
    page.clear();
    rows.forEach(e -> page.put(e.sequence(), e));
    pageFrom = from;
    pageTo = to;
  }

  void discardPage() {
    page(1, 0, java.util.List.of());
  }

  void note(ChainEntry entry) {
    pending.put(entry.sequence(), entry);
  }

  ChainHead pendingHead() {
    return pendingHead;
  }

  void noteHead(ChainHead head) {
    pendingHead = head;
  }

  /** The agent started a new chain: what came before is no longer this chain's. */
  void restart(long firstTsMillis) {
    pending.clear();
    page(1, 0, java.util.List.of());
    pendingRestart = true;
    pendingStartTs = firstTsMillis;
  }

  /** First-sample time from which store records belong to this chain's current run, if known. */
  boolean startKnown() {
    return pendingRestart || startKnown;
  }

  long startTs() {
    return pendingRestart ? pendingStartTs : startTs;
  }

  void startTs(long ts) {
    startTs = ts;
    startKnown = true;
  }

  /** The group was stored: its notes become the window. Returns the head it noted, if any. */
  ChainHead commit() {
    if (pendingRestart) {
      committed.clear();
      batchBytes = 0;
      startTs(pendingStartTs);
    }
    for (ChainEntry e : pending.values()) {
      ChainEntry old = committed.put(e.sequence(), e);
      if (old != null && old.batch() != null) {
        batchBytes -= old.batch().envelopeLength();
      }
      if (e.batch() != null) {
        if (e.chainOk()) {
          committed.put(e.sequence(), e.linkOnly()); // verified batches need no rewrite
        } else {
          batchBytes += e.batch().envelopeLength();
        }
      }
    }
    ChainHead head = pendingHead;
    discard();
    trim();
    return head;
  }

  void discard() {
    page(1, 0, java.util.List.of());
    pending.clear();
    pendingHead = null;
    pendingRestart = false;
  }

  int size() {
    return committed.size();
  }

  private void trim() {
    while (committed.size() > capacity) {
      ChainEntry gone = committed.pollFirstEntry().getValue();
      if (gone.batch() != null) {
        batchBytes -= gone.batch().envelopeLength();
      }
    }
    Iterator<Map.Entry<Long, ChainEntry>> it = committed.entrySet().iterator();
    while (batchBytes > maxBatchBytes && it.hasNext()) {
      Map.Entry<Long, ChainEntry> e = it.next();
      if (e.getValue().batch() != null) {
        batchBytes -= e.getValue().batch().envelopeLength();
        e.setValue(e.getValue().linkOnly());
      }
    }
  }
}
