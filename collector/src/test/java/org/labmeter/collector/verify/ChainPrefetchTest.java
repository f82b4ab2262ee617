package org.labmeter.collector.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.labmeter.collector.TestBatches.signer;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.labmeter.collector.TestBatches;
import org.labmeter.wire.BatchHash;
import org.labmeter.wire.Ed25519Signer;
import org.labmeter.wire.SignedBatch;

/**
 * A collector that starts beside a running fleet holds no chain heads: the first batch of every
 * chain must be placed against what the store holds. Read ahead for a whole group, that costs two
 * store reads instead of two per chain, and every verdict is the one the chain-by-chain reads give.
 */
class ChainPrefetchTest {
  private static final long NOW = 1_704_067_200_000L;
  private static final Ed25519Signer KEY = signer(9);
  private static final int CHAINS = 20;

  /** The store as a map, counting reads: one-chain reads apart from reads for many chains. */
  private static final class CountingStore implements StoredBatches {
    final MapStoredBatches rows = new MapStoredBatches();
    int oneChainReads;
    int manyChainReads;
    boolean failManyChainReads;
    final Map<ChainId, Long> startsSince = new HashMap<>();
    final Map<ChainId, Long> rangesSince = new HashMap<>();

    @Override
    public boolean available() {
      return true;
    }

    @Override
    public Optional<ChainEntry> find(ChainId chain, long sequence, long sinceTsMillis) {
      oneChainReads++;
      return rows.find(chain, sequence, sinceTsMillis);
    }

    @Override
    public List<ChainEntry> range(ChainId chain, long from, long to, long sinceTsMillis) {
      oneChainReads++;
      return rows.range(chain, from, to, sinceTsMillis);
    }

    @Override
    public long chainStart(ChainId chain) {
      oneChainReads++;
      return rows.chainStart(chain);
    }

    @Override
    public Map<ChainId, List<ChainEntry>> ranges(
        Map<ChainId, Span> spans, Map<ChainId, Long> since) {
      manyChainReads++;
      if (failManyChainReads) {
        throw new IllegalStateException("store unreachable");
      }
      rangesSince.putAll(since);
      return rows.ranges(spans, since);
    }

    @Override
    public Map<ChainId, Long> chainStarts(Map<ChainId, Long> since) {
      manyChainReads++;
      if (failManyChainReads) {
        throw new IllegalStateException("store unreachable");
      }
      startsSince.putAll(since);
      return rows.chainStarts(since);
    }
  }

  private static List<SignedBatch> chain(String agent, int count, long firstTs) {
    List<SignedBatch> out = new ArrayList<>();
    BatchHash prev = BatchHash.ZERO;
    for (int seq = 0; seq < count; seq++) {
      SignedBatch b = TestBatches.batch(KEY, agent, "inst", seq, prev, firstTs + seq * 5_000L, 5);
      out.add(b);
      prev = b.hash();
    }
    return out;
  }

  /**
   * A store holding sequences 0..4 of {@value #CHAINS} chains (chain 0 also an earlier run that
   * lost its state), and a group as the fleet sends it after the collector's start: each chain's
   * sequence 5, a resend of chain 1's sequence 4, a fork of chain 2's sequence 4 and a new agent's
   * genesis.
   */
  private static List<SignedBatch> storeAndGroup(CountingStore store) {
    List<SignedBatch> group = new ArrayList<>();
    for (int k = 0; k < CHAINS; k++) {
      List<SignedBatch> c = chain("agent-" + k, 6, NOW - 600_000 + k);
      if (k == 0) {
        chain("agent-0", 8, NOW - 3_000_000)
            .forEach(b -> store.rows.store(accepted(b), NOW - 2_000_000));
      }
      c.subList(0, 5).forEach(b -> store.rows.store(accepted(b), NOW - 60_000));
      group.add(c.get(5));
      if (k == 1) {
        group.add(c.get(4));
      }
      if (k == 2) {
        group.add(TestBatches.batch(KEY, "agent-2", "inst", 4, c.get(3).hash(), NOW - 100_000, 5));
      }
    }
    group.add(chain("agent-new", 1, NOW - 30_000).get(0));
    return group;
  }

  private static Verdict.Accepted accepted(SignedBatch b) {
    return new Verdict.Accepted(b, ChainLink.LINKED, true, false, List.of());
  }

  private static BatchVerifier verifier(StoredBatches store) {
    return new BatchVerifier(
        new InMemoryChainHeads(),
        store,
        Duration.ofMinutes(5),
        Duration.ofHours(1),
        Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC));
  }

  /** Places the group as the sink does (optionally reading ahead first), then commits it. */
  private static List<String> place(BatchVerifier v, List<SignedBatch> group, boolean prefetch) {
    if (prefetch) {
      v.prefetch(group);
    }
    List<String> verdicts = new ArrayList<>();
    Set<ChainId> touched = new LinkedHashSet<>();
    for (SignedBatch b : group) {
      touched.add(new ChainId(b.batch().agentId(), b.batch().instrumentId()));
      Verdict verdict = v.placeSigned(b, NOW);
      if (verdict instanceof Verdict.Accepted a) {
        verdicts.add("accepted " + a.link() + " ok=" + a.chainOk());
      } else if (verdict instanceof Verdict.Rejected r) {
        verdicts.add("rejected " + r.reason());
      } else {
        verdicts.add("duplicate");
      }
    }
    touched.forEach(v::commit);
    return verdicts;
  }

  @Test
  void aGroupOfUnknownChainsCostsTwoStoreReadsAndGetsTheSameVerdicts() {
    CountingStore oneByOne = new CountingStore();
    List<String> expected = place(verifier(oneByOne), storeAndGroup(oneByOne), false);
    CountingStore ahead = new CountingStore();

    List<String> verdicts = place(verifier(ahead), storeAndGroup(ahead), true);

    assertThat(verdicts).isEqualTo(expected);
    assertThat(expected)
        .hasSize(CHAINS + 3)
        .containsOnlyOnce("duplicate", "rejected FORK", "accepted GENESIS ok=true")
        .filteredOn(s -> s.equals("accepted LINKED ok=true"))
        .hasSize(CHAINS);
    assertThat(oneByOne.oneChainReads).isGreaterThanOrEqualTo(2 * CHAINS);
    assertThat(ahead.manyChainReads).isEqualTo(2);
    assertThat(ahead.oneChainReads).isZero();
  }

  /**
   * A genesis of a chain with no head here is looked up only from its first sample on: a resend of
   * it is still a duplicate, and an earlier run of the agent, which may lie months back, is not
   * read (the genesis is accepted as one, where reading the whole chain would call it a restart).
   */
  @Test
  void aGenesisIsLookedUpOnlyFromItsFirstSampleOn() {
    ChainId agent0 = new ChainId("agent-0", "inst");
    List<SignedBatch> earlier = chain("agent-0", 8, NOW - 3_000_000);
    List<SignedBatch> run = chain("agent-0", 2, NOW - 60_000);
    long genesisTs = run.get(0).batch().firstTimestampMillis();

    CountingStore resent = new CountingStore();
    earlier.forEach(b -> resent.rows.store(accepted(b), NOW - 2_000_000));
    resent.rows.store(accepted(run.get(0)), NOW - 50_000); // stored, its PUBACK lost
    assertThat(place(verifier(resent), List.of(run.get(0)), true)).containsExactly("duplicate");
    assertThat(resent.startsSince).containsEntry(agent0, genesisTs);
    assertThat(resent.rangesSince).containsEntry(agent0, genesisTs);
    assertThat(resent.oneChainReads).isZero();

    CountingStore restarted = new CountingStore();
    earlier.forEach(b -> restarted.rows.store(accepted(b), NOW - 2_000_000));
    assertThat(place(verifier(restarted), List.of(run.get(0), run.get(1)), true))
        .containsExactly("accepted GENESIS ok=true", "accepted LINKED ok=true");
    assertThat(restarted.rangesSince).containsEntry(agent0, genesisTs);

    CountingStore later = new CountingStore(); // not a genesis: the whole chain, as before
    earlier.forEach(b -> later.rows.store(accepted(b), NOW - 2_000_000));
    run.forEach(b -> later.rows.store(accepted(b), NOW - 50_000));
    List<SignedBatch> next = chain("agent-0", 3, NOW - 60_000);
    assertThat(place(verifier(later), List.of(next.get(2)), true))
        .containsExactly("accepted LINKED ok=true");
    assertThat(later.startsSince).containsEntry(agent0, Long.MIN_VALUE);
    assertThat(later.rangesSince).containsEntry(agent0, genesisTs);
  }

  @Test
  void chainsWithHeadsHereAreNotReadAhead() {
    CountingStore store = new CountingStore();
    BatchVerifier v = verifier(store);
    List<SignedBatch> c = chain("agent-live", 3, NOW - 30_000);
    place(v, List.of(c.get(0)), true); // a new chain: read once, then its head is held
    int before = store.manyChainReads;

    place(v, List.of(c.get(1), c.get(2)), true);

    assertThat(store.manyChainReads).isEqualTo(before);
    assertThat(store.oneChainReads).isZero();
  }

  @Test
  void aStoreThatCannotBeReadAheadStillGetsEveryBatchPlaced() {
    CountingStore oneByOne = new CountingStore();
    List<String> expected = place(verifier(oneByOne), storeAndGroup(oneByOne), false);
    CountingStore failing = new CountingStore();
    failing.failManyChainReads = true;

    List<String> verdicts = place(verifier(failing), storeAndGroup(failing), true);

    assertThat(verdicts).isEqualTo(expected);
    assertThat(failing.oneChainReads).isGreaterThanOrEqualTo(2 * CHAINS);
  }
}
