package org.labmeter.collector.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.labmeter.collector.QuestDbQuery.count;
import static org.labmeter.collector.QuestDbQuery.rows;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.labmeter.collector.TestBatches;
import org.labmeter.collector.auth.AgentRecord;
import org.labmeter.collector.ingest.IngestOutcome;
import org.labmeter.collector.ingest.VerifyingPublishSink;
import org.labmeter.collector.metrics.CollectorMetrics;
import org.labmeter.collector.verify.BatchVerifier;
import org.labmeter.collector.verify.ChainLink;
import org.labmeter.collector.verify.InMemoryChainHeads;
import org.labmeter.collector.verify.Quarantine;
import org.labmeter.collector.verify.RejectReason;
import org.labmeter.wire.Ed25519Signer;
import org.labmeter.wire.SignedBatch;

/**
 * Live batches sent before a backlog, through the real sink into an embedded QuestDB: once the
 * backlog is in, every batch row has chain_ok and every sample row verified, each exactly once.
 */
class ChainRelinkStoreTest {
  private static final Ed25519Signer KEY = TestBatches.signer(3);
  private static final AgentRecord AGENT = TestBatches.agent("agent-1", "s", KEY, "nmr-1");
  private static final String TOPIC = "labmeter/v1/agent-1/nmr-1/telemetry";
  // whole seconds, 20 minutes back: recent, not late, never in the future
  private static final long START = (System.currentTimeMillis() / 1000 - 1200) * 1000;
  private static final String BATCHES = "select count() from lm_batches where instrument = 'nmr-1'";
  private static final String SAMPLES = "select count() from lm_samples where instrument = 'nmr-1'";

  private static final String GAPS =
      "SELECT agent, instrument, prev_seq + 1 first_missing, seq - 1 last_missing FROM ("
          + " SELECT agent, instrument, seq,"
          + " lag(seq) OVER (PARTITION BY agent, instrument ORDER BY seq) prev_seq"
          + " FROM lm_batches WHERE instrument = 'nmr-1') WHERE seq > prev_seq + 1";

  @TempDir Path root;

  private final InMemoryChainHeads heads = new InMemoryChainHeads();

  private VerifyingPublishSink sink(String url, SampleWriter writer, Quarantine quarantine) {
    QuestDbStoredBatches stored = new QuestDbStoredBatches(url);
    return new VerifyingPublishSink(
        h ->
            new BatchVerifier(
                h, stored, Duration.ofMinutes(5), Duration.ofHours(1), Clock.systemUTC()),
        heads,
        writer,
        quarantine,
        new CollectorMetrics(new SimpleMeterRegistry()),
        Clock.systemUTC());
  }

  private static IngestOutcome send(VerifyingPublishSink sink, SignedBatch b) {
    return sink.telemetry(AGENT, "nmr-1", TOPIC, b.envelope(), System.currentTimeMillis());
  }

  @Test
  void backlogAfterLiveDataEndsFullyVerifiedAndAForkIsQuarantined() throws Exception {
    List<SignedBatch> chain = TestBatches.chain(KEY, "agent-1", "nmr-1", 10, START, 4);
    try (EmbeddedQuestDb db = EmbeddedQuestDb.start(root, 0, 0)) {
      StoreSchema.ensureQuestDb(db.httpUrl());
      String url = db.httpUrl();
      Quarantine quarantine = new Quarantine(10);
      try (SampleWriter writer =
          new SampleWriter(url, null, "labmeter", "labmeter", Duration.ofSeconds(10))) {
        VerifyingPublishSink sink = sink(url, writer, quarantine);
        for (int seq : new int[] {0, 1, 2, 7, 8}) {
          send(sink, chain.get(seq));
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> count(url, BATCHES) == 5);
        // 7 came before its predecessor 6; 8 names 7, which is stored
        assertThat(count(url, BATCHES + " and chain_ok = false and seq = 7")).isEqualTo(1);
        assertThat(count(url, BATCHES + " and chain_ok = false")).isEqualTo(1);
        assertThat(count(url, SAMPLES + " and verified = false")).isEqualTo(4);
        // the evidence gaps as docs/collector-tables.md computes them
        assertThat(rows(url, GAPS).toString()).isEqualTo("[[\"agent-1\",\"nmr-1\",3,6]]");

        // a collector restart: the backlog is placed against what lm_batches holds
        VerifyingPublishSink restarted = sink(url, writer, quarantine);
        for (int seq : new int[] {3, 4, 9, 5}) {
          send(restarted, chain.get(seq));
        }
        IngestOutcome closing = send(restarted, chain.get(6));
        assertThat(((IngestOutcome.Stored) closing).link()).isEqualTo(ChainLink.FILLED);

        // a duplicate found in the store and a fork of sequence 4
        assertThat(send(sink(url, writer, quarantine), chain.get(1)))
            .isInstanceOf(IngestOutcome.Duplicate.class);
        SignedBatch fork =
            TestBatches.batch(KEY, "agent-1", "nmr-1", 4, chain.get(3).hash(), START + 99_000, 2);
        assertThat(send(restarted, fork)).isEqualTo(new IngestOutcome.Rejected(RejectReason.FORK));
      }
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> count(url, BATCHES + " and chain_ok = true") == 10);
      assertThat(count(url, BATCHES)).isEqualTo(10);
      assertThat(count(url, SAMPLES)).isEqualTo(40);
      assertThat(count(url, SAMPLES + " and verified = true")).isEqualTo(40);
      assertThat(rows(url, GAPS)).isEmpty();
      assertThat(quarantine.recent())
          .singleElement()
          .satisfies(
              q -> {
                assertThat(q.reason()).isEqualTo(RejectReason.FORK);
              });
    }
  }
}
