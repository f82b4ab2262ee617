package org.labmeter.collector.sweep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.labmeter.collector.QuestDbQuery.count;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.labmeter.collector.TestBatches;
import org.labmeter.collector.auth.AgentRecord;
import org.labmeter.collector.config.ChainSettings;
import org.labmeter.collector.ingest.VerifyingPublishSink;
import org.labmeter.collector.metrics.CollectorMetrics;
import org.labmeter.collector.records.IngestRecords;
import org.labmeter.collector.store.EmbeddedQuestDb;
import org.labmeter.collector.store.QuestDbStoredBatches;
import org.labmeter.collector.store.SampleWriter;
import org.labmeter.collector.store.StoreSchema;
import org.labmeter.collector.verify.BatchVerifier;
import org.labmeter.collector.verify.InMemoryChainHeads;
import org.labmeter.collector.verify.Quarantine;
import org.labmeter.wire.Ed25519Signer;
import org.labmeter.wire.SignedBatch;

/**
 * One chain split across two collectors, as in bridge mode: each sink (own verifier, own chain
 * heads) gets every other batch and stores most of its share unverified; the two sweepers, run at
 * once, leave every batch and sample verified, each row once.
 */
class ChainSweeperTest {
  private static final Ed25519Signer KEY = TestBatches.signer(4);
  private static final AgentRecord AGENT = TestBatches.agent("agent-1", "s", KEY, "nmr-1");
  private static final String TOPIC = "labmeter/v1/agent-1/nmr-1/telemetry";
  private static final long START = (System.currentTimeMillis() / 1000 - 1200) * 1000;
  private static final String BATCHES = "select count() from lm_batches where instrument = 'nmr-1'";
  private static final String SAMPLES = "select count() from lm_samples where instrument = 'nmr-1'";

  @TempDir Path root;

  private static final ChainSettings SETTINGS =
      new ChainSettings(16, Duration.ofSeconds(60), Duration.ofHours(1));

  private static VerifyingPublishSink sink(String url, SampleWriter writer) {
    return sink(url, writer, UnverifiedLog.off());
  }

  private static VerifyingPublishSink sink(String url, SampleWriter writer, UnverifiedLog log) {
    QuestDbStoredBatches stored = new QuestDbStoredBatches(url);
    return new VerifyingPublishSink(
        h ->
            new BatchVerifier(
                h, stored, Duration.ofMinutes(5), Duration.ofHours(1), Clock.systemUTC()),
        new InMemoryChainHeads(),
        writer,
        new Quarantine(10),
        IngestRecords.NONE,
        log,
        new CollectorMetrics(new SimpleMeterRegistry()),
        Clock.systemUTC());
  }

  private static ChainSweeper sweeper(
      String url, SampleWriter writer, SimpleMeterRegistry registry, UnverifiedLog log) {
    return new ChainSweeper(
        new QuestDbStoredBatches(url),
        writer,
        new CollectorMetrics(registry),
        SETTINGS,
        System::currentTimeMillis,
        log);
  }

  /** Seq 0, 2, 4 through {@code a}, 1, 3, 5 through {@code b}, each stored before the next. */
  private static void split(String url, VerifyingPublishSink a, VerifyingPublishSink b) {
    List<SignedBatch> chain = TestBatches.chain(KEY, "agent-1", "nmr-1", 6, START, 3);
    for (int seq = 0; seq < 6; seq++) {
      VerifyingPublishSink to = seq % 2 == 0 ? a : b;
      to.telemetry(AGENT, "nmr-1", TOPIC, chain.get(seq).envelope(), System.currentTimeMillis());
      int stored = seq + 1;
      await().atMost(Duration.ofSeconds(20)).until(() -> count(url, BATCHES) == stored);
    }
    // A: 0 genesis, 2 and 4 above a gap in its own heads; B: 1 found 0 in the store, 3 and 5
    // above a gap
    assertThat(count(url, BATCHES + " and chain_ok = false")).isEqualTo(4);
  }

  /**
   * After its first sweep a sweeper looks only at what its own collector stored unverified: A
   * relinks 2 and 4, not B's 3 and 5 (a scan of the store would find all four); B then relinks its
   * two. With a log too small for A's two, A scans the store once more and relinks all four.
   */
  @Test
  void laterSweepsTakeTheirCandidatesFromTheLogAndScanTheStoreOnlyAfterAnOverflow()
      throws Exception {
    for (int capacity : new int[] {UnverifiedLog.DEFAULT_CAPACITY, 1}) {
      Path dir = root.resolve("cap-" + capacity);
      try (EmbeddedQuestDb db = EmbeddedQuestDb.start(dir, 0, 0)) {
        String url = db.httpUrl();
        StoreSchema.ensureQuestDb(url);
        try (SampleWriter writerA = new SampleWriter(url, null, "l", "l", Duration.ofSeconds(10));
            SampleWriter writerB = new SampleWriter(url, null, "l", "l", Duration.ofSeconds(10))) {
          UnverifiedLog logA = new UnverifiedLog(capacity);
          UnverifiedLog logB = new UnverifiedLog(UnverifiedLog.DEFAULT_CAPACITY);
          SimpleMeterRegistry registry = new SimpleMeterRegistry();
          ChainSweeper sweepA = sweeper(url, writerA, registry, logA);
          ChainSweeper sweepB = sweeper(url, writerB, registry, logB);
          assertThat(sweepA.sweep()).isZero(); // the first sweeps scan an empty store
          assertThat(sweepB.sweep()).isZero();

          split(url, sink(url, writerA, logA), sink(url, writerB, logB));

          if (capacity == 1) {
            assertThat(logA.size()).isEqualTo(1);
            assertThat(sweepA.sweep()).isEqualTo(4);
          } else {
            assertThat(logA.size()).isEqualTo(2);
            // the gauge of the first sweeper on the registry: A's
            assertThat(registry.get("collector.chain.unverified").gauge().value()).isEqualTo(2);
            assertThat(sweepA.sweep()).isEqualTo(2);
            assertThat(logA.size()).isZero();
            assertThat(registry.get("collector.chain.unverified").gauge().value()).isZero();
            await()
                .atMost(Duration.ofSeconds(20))
                .until(() -> count(url, BATCHES + " and chain_ok = false") == 2);
            assertThat(sweepB.sweep()).isEqualTo(2);
          }
          await()
              .atMost(Duration.ofSeconds(20))
              .until(() -> count(url, BATCHES + " and chain_ok = true") == 6);
          assertThat(count(url, BATCHES)).isEqualTo(6);
          assertThat(sweepA.sweep()).isZero(); // nothing left, whether it scanned again or not
          assertThat(logA.size()).isZero();
        }
      }
    }
  }

  /**
   * After a restart the log is empty: what the first sweep's scan finds and cannot link yet is kept
   * and looked at again once its predecessor is stored.
   */
  @Test
  void whatTheFirstScanFindsIsLookedAtAgainUntilItLinks() throws Exception {
    List<SignedBatch> chain = TestBatches.chain(KEY, "agent-1", "nmr-1", 3, START, 3);
    try (EmbeddedQuestDb db = EmbeddedQuestDb.start(root.resolve("restart"), 0, 0)) {
      String url = db.httpUrl();
      StoreSchema.ensureQuestDb(url);
      try (SampleWriter writerA = new SampleWriter(url, null, "l", "l", Duration.ofSeconds(10));
          SampleWriter writerB = new SampleWriter(url, null, "l", "l", Duration.ofSeconds(10))) {
        VerifyingPublishSink a = sink(url, writerA);
        for (int seq : new int[] {0, 2}) {
          a.telemetry(AGENT, "nmr-1", TOPIC, chain.get(seq).envelope(), System.currentTimeMillis());
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> count(url, BATCHES) == 2);
        UnverifiedLog log = new UnverifiedLog(UnverifiedLog.DEFAULT_CAPACITY);
        ChainSweeper restarted = sweeper(url, writerA, new SimpleMeterRegistry(), log);
        assertThat(restarted.sweep()).isZero(); // seq 2 found, seq 1 not stored yet
        assertThat(log.size()).isEqualTo(1);

        sink(url, writerB)
            .telemetry(AGENT, "nmr-1", TOPIC, chain.get(1).envelope(), System.currentTimeMillis());
        await().atMost(Duration.ofSeconds(20)).until(() -> count(url, BATCHES) == 3);

        assertThat(restarted.sweep()).isEqualTo(1);
        await()
            .atMost(Duration.ofSeconds(20))
            .until(() -> count(url, BATCHES + " and chain_ok = true") == 3);
        assertThat(log.size()).isZero();
      }
    }
  }

  @Test
  void twoSweepersAtOnceLeaveAChainSplitAcrossTwoCollectorsVerified() throws Exception {
    try (EmbeddedQuestDb db = EmbeddedQuestDb.start(root, 0, 0)) {
      String url = db.httpUrl();
      StoreSchema.ensureQuestDb(url);
      try (SampleWriter writerA = new SampleWriter(url, null, "l", "l", Duration.ofSeconds(10));
          SampleWriter writerB = new SampleWriter(url, null, "l", "l", Duration.ofSeconds(10))) {
        split(url, sink(url, writerA), sink(url, writerB));

        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        ChainSweeper sweepA = sweeper(url, writerA, registry, UnverifiedLog.off());
        ChainSweeper sweepB = sweeper(url, writerB, registry, UnverifiedLog.off());
        CompletableFuture<Integer> one = CompletableFuture.supplyAsync(() -> sweep(sweepA));
        CompletableFuture<Integer> two = CompletableFuture.supplyAsync(() -> sweep(sweepB));
        int swept = one.get() + two.get();

        assertThat(swept).isBetween(4, 8); // each sweeper found the four, or one came late
        assertThat(registry.counter("collector.chain.swept").count()).isEqualTo(swept);
        await()
            .atMost(Duration.ofSeconds(20))
            .until(() -> count(url, BATCHES + " and chain_ok = true") == 6);
        await()
            .atMost(Duration.ofSeconds(20))
            .until(() -> count(url, SAMPLES + " and verified = true") == 18);
        assertThat(count(url, BATCHES)).isEqualTo(6);
        assertThat(count(url, SAMPLES)).isEqualTo(18);
        assertThat(sweepA.sweep()).isZero(); // nothing left: idempotent
      }
    }
  }

  private static int sweep(ChainSweeper s) {
    try {
      return s.sweep();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
