package org.labmeter.collector.verify;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.labmeter.wire.Batch;
import org.labmeter.wire.SignedBatch;

/**
 * Places a signed batch in its (agent, instrument) chain. Above the head it links to the head (or
 * leaves a gap); below the head it fills a gap, is a duplicate, or is a fork. A batch is verified
 * when its own link is confirmed: it is a genesis, or the stored batch before it has the hash it
 * names (the offline verifier's rule, docs/evidence.md). So a gap filler also confirms the stored
 * batch after it, which is handed back for writing again as verified. The rule is in
 * docs/protocol.md ("Chain placement").
 *
 * <p>What a group decides is noted, not kept: {@link #commit} after the group was stored, {@link
 * #discard} after it failed. A chain is only touched by its agent's worker.
 */
final class ChainPlacer {
  /** Sequences read from the store ahead of the one asked for. */
  static final int PAGE = 128;

  private final ChainHeads heads;
  private final StoredBatches stored;
  private final ChainWindows windows;

  ChainPlacer(ChainHeads heads, StoredBatches stored, int windowCapacity, long windowBatchBytes) {
    this(heads, stored, windowCapacity, windowBatchBytes, Integer.MAX_VALUE);
  }

  /**
   * @param maxChains chains whose windows are held at once; the least recently used go first
   */
  ChainPlacer(
      ChainHeads heads,
      StoredBatches stored,
      int windowCapacity,
      long windowBatchBytes,
      int maxChains) {
    this.heads = heads;
    this.stored = stored;
    this.windows =
        new ChainWindows(maxChains, () -> new ChainWindow(windowCapacity, windowBatchBytes));
  }

  /** Chain windows held in memory now. */
  int windowsHeld() {
    return windows.size();
  }

  /**
   * Before a group is placed: for the chains in {@code group} that this collector holds no head for
   * (the fleet's first batches after a start, or a new agent), reads what the store holds around
   * each batch for all of them at once (their starts, then their pages), where {@link #place} would
   * ask twice per chain. A collector that started beside a running fleet acknowledged almost
   * nothing for seconds while those requests ran one by one. If the store cannot be read now,
   * nothing is kept and each batch asks on its own when placed.
   */
  void prefetch(List<SignedBatch> group) {
    if (!stored.available()) {
      return;
    }
    Map<ChainId, StoredBatches.Span> wanted = new LinkedHashMap<>();
    Map<ChainId, Long> since = new LinkedHashMap<>();
    for (SignedBatch signed : group) {
      Batch batch = signed.batch();
      ChainId id = new ChainId(batch.agentId(), batch.instrumentId());
      ChainWindow held = windows.peek(id);
      if (wanted.containsKey(id)
          || (held != null && held.pendingHead() != null)
          || heads.find(id.agentId(), id.instrumentId()).isPresent()) {
        continue;
      }
      long seq = batch.sequence();
      wanted.put(id, new StoredBatches.Span(Math.max(0, seq - 1), seq + PAGE));
      // a genesis starts a run: only a run begun at or after it matters (a resend of it, or a
      // newer run), so only the partitions from its first sample on are read
      boolean genesis = seq == 0 && batch.previousHash().isZero();
      since.put(id, genesis ? batch.firstTimestampMillis() : Long.MIN_VALUE);
    }
    if (wanted.isEmpty()) {
      return;
    }
    Map<ChainId, Long> starts;
    Map<ChainId, List<ChainEntry>> rows;
    try {
      starts = new LinkedHashMap<>(stored.chainStarts(since));
      since.forEach((id, from) -> starts.merge(id, from, Math::max));
      rows = stored.ranges(wanted, starts);
    } catch (RuntimeException unreadable) {
      return;
    }
    wanted.forEach(
        (id, span) -> {
          ChainWindow w = windows.acquire(id);
          w.startTs(starts.getOrDefault(id, Long.MIN_VALUE));
          w.page(span.from(), span.to(), rows.getOrDefault(id, List.of()));
        });
  }

  Verdict place(SignedBatch signed, boolean late, long receivedAtMillis) {
    Batch batch = signed.batch();
    ChainId id = new ChainId(batch.agentId(), batch.instrumentId());
    ChainWindow w = windows.acquire(id);
    long seq = batch.sequence();
    boolean genesis = seq == 0 && batch.previousHash().isZero();
    Optional<ChainHead> head =
        w.pendingHead() != null
            ? Optional.of(w.pendingHead())
            : heads.find(id.agentId(), id.instrumentId());
    if (head.isEmpty()) {
      return first(id, w, signed, genesis, late, receivedAtMillis);
    }
    ChainHead h = head.get();
    if (seq > h.sequence()) {
      if (seq > h.sequence() + 1) {
        return above(w, signed, ChainLink.GAP, false, late, receivedAtMillis);
      }
      if (!batch.previousHash().equals(h.hash())) {
        return above(w, signed, ChainLink.BROKEN, false, late, receivedAtMillis);
      }
      return above(w, signed, ChainLink.LINKED, true, late, receivedAtMillis);
    }
    if (seq == h.sequence() && signed.hash().equals(h.hash())) {
      return new Verdict.Duplicate(signed);
    }
    // at or below the head
    ChainEntry same = lookup(id, w, seq);
    if (same != null) {
      if (same.hash().equals(signed.hash())) {
        return new Verdict.Duplicate(signed);
      }
      if (genesis) {
        return restart(w, signed, late, receivedAtMillis);
      }
      return new Verdict.Rejected(
          RejectReason.FORK,
          "sequence "
              + seq
              + " is already stored with hash "
              + same.hash().toHex()
              + "; this batch has "
              + signed.hash().toHex());
    }
    if (genesis) {
      ChainEntry top = lookup(id, w, h.sequence());
      if (top != null && batch.firstTimestampMillis() > top.lastTsMillis()) {
        return restart(w, signed, late, receivedAtMillis); // newer than the head: a new run
      }
    }
    return fill(id, w, h, signed, genesis, late, receivedAtMillis);
  }

  /**
   * The first batch of a chain this collector has no head for. The store may still hold the chain
   * (heads kept in memory, lost at a restart): a batch it holds is a duplicate, and one that names
   * its stored predecessor is linked. If the store cannot be read, the batch is placed as if there
   * were nothing (a gap unless it is a genesis), so that live data is not held up.
   */
  private Verdict first(
      ChainId id,
      ChainWindow w,
      SignedBatch signed,
      boolean genesis,
      boolean late,
      long receivedAtMillis) {
    long seq = signed.batch().sequence();
    ChainEntry same = null;
    ChainEntry before = null;
    try {
      same = lookup(id, w, seq);
      before = seq == 0 ? null : lookup(id, w, seq - 1);
    } catch (RuntimeException unreadable) {
      w.discardPage();
    }
    if (same != null && same.hash().equals(signed.hash())) {
      return new Verdict.Duplicate(signed);
    }
    if (same != null && !genesis) {
      return new Verdict.Rejected(
          RejectReason.FORK,
          "sequence "
              + seq
              + " is already stored with hash "
              + same.hash().toHex()
              + "; this batch has "
              + signed.hash().toHex());
    }
    if (genesis) {
      return same != null
          ? restart(w, signed, late, receivedAtMillis)
          : above(w, signed, ChainLink.GENESIS, true, late, receivedAtMillis);
    }
    if (before != null && before.hash().equals(signed.batch().previousHash())) {
      return above(w, signed, ChainLink.LINKED, true, late, receivedAtMillis);
    }
    ChainLink link = seq == 0 || before != null ? ChainLink.BROKEN : ChainLink.GAP;
    return above(w, signed, link, false, late, receivedAtMillis);
  }

  /** A batch below the head whose sequence is not stored yet. */
  private Verdict fill(
      ChainId id,
      ChainWindow w,
      ChainHead h,
      SignedBatch signed,
      boolean genesis,
      boolean late,
      long receivedAtMillis) {
    long seq = signed.batch().sequence();
    ChainEntry before = seq == 0 ? null : lookup(id, w, seq - 1);
    ChainEntry after = lookup(id, w, seq + 1);
    boolean linksBefore = before != null && before.hash().equals(signed.batch().previousHash());
    boolean linksAfter = after == null || after.previousHash().equals(signed.hash());
    if ((before != null && !linksBefore) || !linksAfter) {
      if (genesis && !linksAfter) {
        return restart(w, signed, late, receivedAtMillis);
      }
      w.note(ChainEntry.of(signed, false, receivedAtMillis));
      return accepted(signed, ChainLink.BROKEN, false, late, List.of());
    }
    boolean ok = genesis || linksBefore;
    w.note(ChainEntry.of(signed, ok, receivedAtMillis));
    List<ChainEntry> relinked = List.of();
    if (after != null && !after.chainOk()) {
      // its predecessor is now stored and it names that predecessor's hash: confirmed
      ChainEntry confirmed = withBatch(id, w, after);
      if (confirmed != null) {
        confirmed = confirmed.verified();
        w.note(confirmed);
        relinked = List.of(confirmed);
      }
    }
    return accepted(signed, ChainLink.FILLED, ok, late, relinked);
  }

  /** {@code e} with its batch, from the store where the window kept only the link. */
  private ChainEntry withBatch(ChainId id, ChainWindow w, ChainEntry e) {
    if (e.batch() != null) {
      return e;
    }
    ChainEntry full =
        w.pageCovers(e.sequence())
            ? w.fromPage(e.sequence())
            : stored.find(id, e.sequence(), start(id, w)).orElse(null);
    return full == null || full.batch() == null ? null : full; // not visible yet: stays unverified
  }

  private Verdict above(
      ChainWindow w,
      SignedBatch signed,
      ChainLink link,
      boolean ok,
      boolean late,
      long receivedAtMillis) {
    w.note(ChainEntry.of(signed, ok, receivedAtMillis));
    w.noteHead(new ChainHead(signed.batch().sequence(), signed.hash()));
    return accepted(signed, link, ok, late, List.of());
  }

  private Verdict restart(ChainWindow w, SignedBatch signed, boolean late, long receivedAtMillis) {
    w.restart(signed.batch().firstTimestampMillis());
    return above(w, signed, ChainLink.RESTARTED, true, late, receivedAtMillis);
  }

  private ChainEntry lookup(ChainId id, ChainWindow w, long seq) {
    ChainEntry e = w.get(seq);
    if (e != null || !stored.available()) {
      return e;
    }
    if (!w.pageCovers(seq)) {
      // a backlog comes in order: one read covers this batch's neighbours and the next ones
      long from = Math.max(0, seq - 1);
      long to = seq + PAGE;
      w.page(from, to, stored.range(id, from, to, start(id, w)));
    }
    return w.fromPage(seq);
  }

  private long start(ChainId id, ChainWindow w) {
    if (!w.startKnown()) {
      w.startTs(stored.chainStart(id));
    }
    return w.startTs();
  }

  private static Verdict accepted(
      SignedBatch signed, ChainLink link, boolean ok, boolean late, List<ChainEntry> relinked) {
    return new Verdict.Accepted(signed, link, ok, late, relinked);
  }

  /** Keeps what the group noted for {@code chain}; returns the head it noted, if any. */
  Optional<ChainHead> commit(ChainId chain) {
    ChainWindow w = windows.peek(chain);
    if (w == null) {
      return Optional.empty();
    }
    Optional<ChainHead> head = Optional.ofNullable(w.commit());
    ChainWindows.release(w);
    return head;
  }

  void discard(ChainId chain) {
    ChainWindow w = windows.peek(chain);
    if (w != null) {
      w.discard();
      ChainWindows.release(w);
    }
  }
}
