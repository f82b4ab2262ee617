package org.labmeter.collector.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.labmeter.collector.TestBatches.batch;
import static org.labmeter.collector.TestBatches.signer;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.labmeter.wire.BatchHash;
import org.labmeter.wire.Ed25519Signer;
import org.labmeter.wire.SignedBatch;

/**
 * Late and out-of-order batches of one chain, against a store simulated as a map of what was
 * written with which flag. Each test writes out the order of arrival and the flags expected after
 * the last write. A batch is verified when it is a genesis or the batch before it is stored with
 * the hash it names.
 */
class ChainPlacementTest {
  /** 2024-01-01T00:00:00Z. */
  private static final long NOW = 1_704_067_200_000L;

  private static final String AGENT = "agent-1";
  private static final String NMR = "nmr-1";
  private static final ChainId CHAIN = new ChainId(AGENT, NMR);
  private static final Ed25519Signer KEY = signer(7);

  private final InMemoryChainHeads heads = new InMemoryChainHeads();
  private final MapStoredBatches store = new MapStoredBatches();
  private final BatchVerifier verifier = verifier(store);

  private BatchVerifier verifier(StoredBatches stored) {
    return new BatchVerifier(
        heads,
        stored,
        Duration.ofMinutes(5),
        Duration.ofHours(1),
        Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC));
  }

  /** Sequences 0..count-1, each of 5 samples 1 s apart, 5 s after the one before. */
  private static List<SignedBatch> chain(int count) {
    List<SignedBatch> out = new ArrayList<>();
    BatchHash prev = BatchHash.ZERO;
    for (int seq = 0; seq < count; seq++) {
      SignedBatch b = batch(KEY, AGENT, NMR, seq, prev, NOW - 600_000 + seq * 5_000L, 5);
      out.add(b);
      prev = b.hash();
    }
    return out;
  }

  /** Verifies, "stores" and commits one batch, as the sink does for a group of one. */
  private Verdict send(BatchVerifier v, SignedBatch b) {
    Verdict verdict = v.verify(AGENT, NMR, KEY.publicKey(), b.envelope(), NOW);
    if (verdict instanceof Verdict.Accepted a) {
      store.store(a, NOW);
    }
    v.commit(CHAIN);
    return verdict;
  }

  private Verdict send(SignedBatch b) {
    return send(verifier, b);
  }

  private static Map<Long, Boolean> allVerified(int count) {
    Map<Long, Boolean> m = new java.util.TreeMap<>();
    for (long s = 0; s < count; s++) {
      m.put(s, true);
    }
    return m;
  }

  @Test
  void inOrderEveryBatchIsVerifiedAtOnce() {
    List<SignedBatch> c = chain(4);
    for (SignedBatch b : c) {
      assertThat(((Verdict.Accepted) send(b)).chainOk()).isTrue();
    }
    assertThat(store.chainOk(CHAIN)).isEqualTo(allVerified(4));
    assertThat(heads.find(AGENT, NMR)).contains(new ChainHead(3, c.get(3).hash()));
  }

  @Test
  void reversedOrderIsVerifiedOnceEveryPredecessorIsIn() {
    List<SignedBatch> c = chain(4);
    // 3 arrives first: no head, sequence above 0, a gap
    assertThat(((Verdict.Accepted) send(c.get(3))).link()).isEqualTo(ChainLink.GAP);
    // 2 fills below the head; 1 is not there, so 2 is unconfirmed, but 3 now is
    Verdict.Accepted v2 = (Verdict.Accepted) send(c.get(2));
    assertThat(v2.link()).isEqualTo(ChainLink.FILLED);
    assertThat(v2.chainOk()).isFalse();
    assertThat(v2.relinked()).extracting(ChainEntry::sequence).containsExactly(3L);
    assertThat(store.chainOk(CHAIN)).containsEntry(2L, false).containsEntry(3L, true);
    Verdict.Accepted v1 = (Verdict.Accepted) send(c.get(1));
    assertThat(v1.chainOk()).isFalse();

    Verdict.Accepted v0 = (Verdict.Accepted) send(c.get(0));

    assertThat(v0.link()).isEqualTo(ChainLink.FILLED);
    assertThat(v0.chainOk()).isTrue();
    assertThat(v0.relinked()).extracting(ChainEntry::sequence).containsExactly(1L);
    assertThat(store.chainOk(CHAIN)).isEqualTo(allVerified(4));
    assertThat(heads.find(AGENT, NMR)).contains(new ChainHead(3, c.get(3).hash()));
  }

  @Test
  void liveBatchesSentBeforeTheBacklogAreVerifiedOnceTheBacklogIsIn() {
    List<SignedBatch> c = chain(10);
    // the collector saw 0..2, then the agent was offline; it reconnects and sends live data
    // (7, 8) before its backlog (3..6), then more live data (9) in between
    for (int s : new int[] {0, 1, 2}) {
      send(c.get(s));
    }
    assertThat(((Verdict.Accepted) send(c.get(7))).link()).isEqualTo(ChainLink.GAP);
    assertThat(((Verdict.Accepted) send(c.get(8))).chainOk()).isTrue(); // names 7, which is in
    Verdict.Accepted v3 = (Verdict.Accepted) send(c.get(3));
    Verdict.Accepted v4 = (Verdict.Accepted) send(c.get(4));
    assertThat(((Verdict.Accepted) send(c.get(9))).link()).isEqualTo(ChainLink.LINKED);
    Verdict.Accepted v5 = (Verdict.Accepted) send(c.get(5));
    assertThat(store.chainOk(CHAIN)).containsEntry(5L, true).containsEntry(7L, false);

    Verdict.Accepted v6 = (Verdict.Accepted) send(c.get(6));

    assertThat(List.of(v3, v4, v5, v6)).allMatch(Verdict.Accepted::chainOk);
    assertThat(v5.relinked()).isEmpty(); // 6 was still missing
    assertThat(v6.relinked()).extracting(ChainEntry::sequence).containsExactly(7L);
    assertThat(store.chainOk(CHAIN)).isEqualTo(allVerified(10));
    assertThat(heads.find(AGENT, NMR)).contains(new ChainHead(9, c.get(9).hash()));
  }

  @Test
  void aGapLeftOpenLeavesTheBatchAfterItUnverified() {
    List<SignedBatch> c = chain(6);
    for (int s : new int[] {0, 1, 5, 3, 4}) {
      send(c.get(s));
    }
    // 2 never came: only 3, whose predecessor is missing, cannot be confirmed
    assertThat(store.chainOk(CHAIN))
        .containsEntry(0L, true)
        .containsEntry(1L, true)
        .containsEntry(3L, false)
        .containsEntry(4L, true)
        .containsEntry(5L, true)
        .doesNotContainKey(2L);
  }

  @Test
  void aSecondVersionOfAStoredSequenceIsAForkAndChangesNothing() {
    List<SignedBatch> c = chain(3);
    c.forEach(this::send);
    // same sequence and predecessor, other samples: a different hash
    SignedBatch otherOne = batch(KEY, AGENT, NMR, 1, c.get(0).hash(), NOW - 100_000, 2);

    Verdict v = send(otherOne);

    assertThat(((Verdict.Rejected) v).reason()).isEqualTo(RejectReason.FORK);
    assertThat(store.chainOk(CHAIN)).isEqualTo(allVerified(3));
  }

  @Test
  void aForkIsFoundInTheStoreAfterTheWindowIsGone() {
    List<SignedBatch> c = chain(3);
    c.forEach(this::send);
    BatchVerifier restarted = verifier(store);
    SignedBatch otherOne = batch(KEY, AGENT, NMR, 1, c.get(0).hash(), NOW - 100_000, 2);

    assertThat(((Verdict.Rejected) send(restarted, otherOne)).reason())
        .isEqualTo(RejectReason.FORK);
    assertThat(send(restarted, c.get(1))).isInstanceOf(Verdict.Duplicate.class);
  }

  @Test
  void aFillerThatDoesNotLinkToItsStoredNeighboursIsABreakAndVerifiesNothing() {
    List<SignedBatch> c = chain(4);
    for (int s : new int[] {0, 1, 3}) {
      send(c.get(s));
    }
    SignedBatch stranger = batch(KEY, AGENT, NMR, 2, BatchHash.digest(new byte[] {9}), NOW - 1, 1);

    Verdict.Accepted v = (Verdict.Accepted) send(stranger);

    assertThat(v.link()).isEqualTo(ChainLink.BROKEN);
    assertThat(v.chainOk()).isFalse();
    assertThat(v.relinked()).isEmpty();
    assertThat(store.chainOk(CHAIN)).containsEntry(3L, false);
  }

  @Test
  void exactDuplicatesBelowTheHeadAreDroppedInAndAfterTheWindow() {
    List<SignedBatch> c = chain(5);
    for (int s : new int[] {0, 4, 2}) {
      send(c.get(s));
    }
    assertThat(send(c.get(2))).isInstanceOf(Verdict.Duplicate.class);
    assertThat(send(verifier(store), c.get(2))).isInstanceOf(Verdict.Duplicate.class);
  }

  @Test
  void aDiscardedGroupLeavesNoTrace() {
    List<SignedBatch> c = chain(3);
    send(c.get(0));
    send(c.get(2)); // a gap: unverified
    Verdict v = verifier.verify(AGENT, NMR, KEY.publicKey(), c.get(1).envelope(), NOW);
    assertThat(((Verdict.Accepted) v).relinked()).hasSize(1);

    verifier.discard(CHAIN); // the write failed

    // sent again: placed again, the same way, not taken for a duplicate
    Verdict again = send(c.get(1));
    assertThat(((Verdict.Accepted) again).relinked())
        .extracting(ChainEntry::sequence)
        .containsExactly(2L);
    assertThat(store.chainOk(CHAIN)).isEqualTo(allVerified(3));
  }

  @Test
  void anAgentThatLostItsStateStartsANewRunWhoseSequencesDoNotClashWithTheOldOne() {
    List<SignedBatch> old = chain(3);
    old.forEach(this::send);
    // a new run: genesis again, samples newer than the old head
    SignedBatch n0 = batch(KEY, AGENT, NMR, 0, BatchHash.ZERO, NOW - 10_000, 1);
    SignedBatch n1 = batch(KEY, AGENT, NMR, 1, n0.hash(), NOW - 9_000, 1);
    SignedBatch n2 = batch(KEY, AGENT, NMR, 2, n1.hash(), NOW - 8_000, 1);

    assertThat(((Verdict.Accepted) send(n0)).link()).isEqualTo(ChainLink.RESTARTED);
    send(n2); // gap in the new run
    Verdict.Accepted v1 = (Verdict.Accepted) send(verifier(store), n1);

    // seq 1 of the old run has another hash but lies before the new genesis: not a fork
    assertThat(v1.link()).isEqualTo(ChainLink.FILLED);
    assertThat(v1.chainOk()).isTrue();
  }

  @Test
  void aCollectorThatLostItsHeadsFindsTheChainInTheStore() {
    List<SignedBatch> c = chain(7);
    for (int s = 0; s < 5; s++) {
      send(c.get(s));
    }
    BatchVerifier forgetful =
        new BatchVerifier(
            new InMemoryChainHeads(),
            store,
            Duration.ofMinutes(5),
            Duration.ofHours(1),
            Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC));

    // resent from an outbox: already stored, not written again as a "gap"
    assertThat(send(forgetful, c.get(3))).isInstanceOf(Verdict.Duplicate.class);
    Verdict.Accepted next = (Verdict.Accepted) send(forgetful, c.get(5));
    assertThat(next.link()).isEqualTo(ChainLink.LINKED);
    assertThat(next.chainOk()).isTrue();
    assertThat(((Verdict.Accepted) send(forgetful, c.get(6))).link()).isEqualTo(ChainLink.LINKED);
    assertThat(store.chainOk(CHAIN)).isEqualTo(allVerified(7));
  }
}
