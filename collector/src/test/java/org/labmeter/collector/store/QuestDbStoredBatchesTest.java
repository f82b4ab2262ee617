package org.labmeter.collector.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.labmeter.collector.QuestDbQuery.count;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.labmeter.collector.TestBatches;
import org.labmeter.collector.verify.ChainEntry;
import org.labmeter.collector.verify.ChainId;
import org.labmeter.collector.verify.StoredBatches.Span;
import org.labmeter.wire.Ed25519Signer;
import org.labmeter.wire.SignedBatch;

/**
 * The reads for many chains at once (a collector meeting a fleet it holds no heads for) against an
 * embedded QuestDB: they answer exactly what the one-chain reads answer, over more chains than one
 * query carries, with an earlier run of every chain that must not count.
 */
class QuestDbStoredBatchesTest {
  private static final Ed25519Signer KEY = TestBatches.signer(5);
  private static final long START = (System.currentTimeMillis() / 1000 - 1200) * 1000;
  private static final int CHAINS = QuestDbStoredBatches.CHAINS_PER_QUERY + 8;

  @TempDir Path root;

  @Test
  void manyChainsInOneReadAnswerAsOneChainAtATime() throws Exception {
    List<BatchWrite> writes = new ArrayList<>();
    Map<ChainId, List<SignedBatch>> current = new LinkedHashMap<>();
    for (int k = 0; k < CHAINS; k++) {
      String agent = "agent-" + k;
      String instrument = "nmr-" + k; // the store's dedup key holds the instrument, not the agent
      // an earlier run that lost its state, then the current one, begun at START
      for (SignedBatch b : TestBatches.chain(KEY, agent, instrument, 3, START - 3_600_000, 2)) {
        writes.add(new BatchWrite(b, true, START - 3_000_000));
      }
      List<SignedBatch> run = TestBatches.chain(KEY, agent, instrument, 2 + k % 4, START, 2);
      run.forEach(b -> writes.add(new BatchWrite(b, true, START)));
      current.put(new ChainId(agent, instrument), run);
    }
    ChainId unknown = new ChainId("agent-never", "nmr");
    try (EmbeddedQuestDb db = EmbeddedQuestDb.start(root, 0, 0)) {
      StoreSchema.ensureQuestDb(db.httpUrl());
      String url = db.httpUrl();
      try (SampleWriter writer =
          new SampleWriter(url, null, "labmeter", "labmeter", Duration.ofSeconds(10))) {
        writer.write(writes);
      }
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> count(url, "select count() from lm_batches") == writes.size());

      QuestDbStoredBatches stored = new QuestDbStoredBatches(url);
      List<ChainId> chains = new ArrayList<>(current.keySet());
      chains.add(unknown);
      Map<ChainId, Long> unbounded = new LinkedHashMap<>();
      chains.forEach(c -> unbounded.put(c, Long.MIN_VALUE));
      Map<ChainId, Long> starts = stored.chainStarts(unbounded);
      Map<ChainId, Span> spans = new LinkedHashMap<>();
      chains.forEach(c -> spans.put(c, new Span(1, 3)));
      Map<ChainId, List<ChainEntry>> ranges = stored.ranges(spans, starts);

      assertThat(starts).containsOnlyKeys(chains);
      assertThat(ranges).containsOnlyKeys(chains);
      assertThat(starts.get(unknown)).isEqualTo(Long.MIN_VALUE);
      assertThat(ranges.get(unknown)).isEmpty();
      for (Map.Entry<ChainId, List<SignedBatch>> e : current.entrySet()) {
        ChainId chain = e.getKey();
        List<SignedBatch> run = e.getValue();
        assertThat(starts.get(chain))
            .as("%s", chain)
            .isEqualTo(stored.chainStart(chain))
            .isEqualTo(run.get(0).batch().firstTimestampMillis());
        List<ChainEntry> one = stored.range(chain, 1, 3, starts.get(chain));
        assertThat(ranges.get(chain)).as("%s", chain).isEqualTo(one);
        // the current run's sequences 1..3 only, never the earlier run's 1 and 2
        assertThat(ranges.get(chain).stream().map(ChainEntry::hash).toList())
            .as("%s", chain)
            .isEqualTo(
                run.subList(1, Math.min(run.size(), 4)).stream().map(SignedBatch::hash).toList());
      }

      // bounded below, half of the chains from their run's start, the others from just after it
      // or not at all: each gets the newest genesis at or after its own bound
      Map<ChainId, Long> bounded = new LinkedHashMap<>();
      int i = 0;
      for (Map.Entry<ChainId, List<SignedBatch>> e : current.entrySet()) {
        long runStart = e.getValue().get(0).batch().firstTimestampMillis();
        bounded.put(e.getKey(), i % 3 == 0 ? runStart : i % 3 == 1 ? runStart + 1 : Long.MIN_VALUE);
        i++;
      }
      Map<ChainId, Long> found = stored.chainStarts(bounded);
      Map<ChainId, List<ChainEntry>> boundedRanges = stored.ranges(spans, bounded);
      for (Map.Entry<ChainId, Long> e : bounded.entrySet()) {
        ChainId chain = e.getKey();
        long runStart = current.get(chain).get(0).batch().firstTimestampMillis();
        assertThat(found.get(chain))
            .as("%s since %d", chain, e.getValue())
            .isEqualTo(e.getValue() == runStart + 1 ? Long.MIN_VALUE : runStart);
        assertThat(boundedRanges.get(chain))
            .as("%s since %d", chain, e.getValue())
            .isEqualTo(stored.range(chain, 1, 3, e.getValue()));
      }
    }
  }
}
