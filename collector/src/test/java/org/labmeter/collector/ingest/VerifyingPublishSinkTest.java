package org.labmeter.collector.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.labmeter.collector.TestBatches;
import org.labmeter.collector.auth.AgentRecord;
import org.labmeter.collector.metrics.CollectorMetrics;
import org.labmeter.collector.records.AgentStatus;
import org.labmeter.collector.records.IngestRecords;
import org.labmeter.collector.store.BatchStore;
import org.labmeter.collector.store.BatchWrite;
import org.labmeter.collector.store.StoreWriteException;
import org.labmeter.collector.sweep.UnverifiedLog;
import org.labmeter.collector.verify.BatchVerifier;
import org.labmeter.collector.verify.ChainHead;
import org.labmeter.collector.verify.ChainHeads;
import org.labmeter.collector.verify.ChainLink;
import org.labmeter.collector.verify.InMemoryChainHeads;
import org.labmeter.collector.verify.Quarantine;
import org.labmeter.collector.verify.QuarantinedPayload;
import org.labmeter.collector.verify.RejectReason;
import org.labmeter.wire.Ed25519Signer;
import org.labmeter.wire.SignatureCheck;
import org.labmeter.wire.SignedBatch;

/**
 * Group commit in the sink with the real verifier and real signed batches; the store and the chain
 * heads are recording stand-ins for the interfaces the collector owns.
 */
class VerifyingPublishSinkTest {
  private static final Ed25519Signer KEY = TestBatches.signer(1);
  private static final AgentRecord AGENT = TestBatches.agent("agent-1", "s", KEY, "nmr-1", "ms-1");
  // whole seconds, 20 minutes back: recent, not late, never in the future
  private static final long START = (System.currentTimeMillis() / 1000 - 1200) * 1000;

  private final List<SignedBatch> nmr = TestBatches.chain(KEY, "agent-1", "nmr-1", 6, START, 3);
  private final List<SignedBatch> ms = TestBatches.chain(KEY, "agent-1", "ms-1", 3, START, 2);
  private final List<List<BatchWrite>> writes = new ArrayList<>();
  private final List<String> advanced = new ArrayList<>();
  private final InMemoryChainHeads durable = new InMemoryChainHeads();
  private final Quarantine quarantine = new Quarantine(10);
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private boolean storeDown;

  private final BatchStore store =
      batches -> {
        if (storeDown) {
          throw new StoreWriteException("store down", new RuntimeException("refused"));
        }
        writes.add(List.copyOf(batches));
      };

  private final ChainHeads recordingHeads =
      new ChainHeads() {
        @Override
        public Optional<ChainHead> find(String agentId, String instrumentId) {
          return durable.find(agentId, instrumentId);
        }

        @Override
        public void advance(String agentId, String instrumentId, ChainHead head) {
          advanced.add(instrumentId + "@" + head.sequence());
          durable.advance(agentId, instrumentId, head);
        }
      };

  private final VerifyingPublishSink sink =
      new VerifyingPublishSink(
          heads ->
              new BatchVerifier(
                  heads, Duration.ofMinutes(5), Duration.ofHours(1), Clock.systemUTC()),
          recordingHeads,
          store,
          quarantine,
          new CollectorMetrics(registry),
          Clock.systemUTC());

  private static TelemetryPublish publish(SignedBatch batch) {
    return publish(batch.batch().instrumentId(), batch.envelope());
  }

  private static TelemetryPublish publish(String instrument, byte[] payload) {
    return new TelemetryPublish(
        AGENT, instrument, "labmeter/v1/agent-1/" + instrument + "/telemetry", payload, 1_000L);
  }

  private List<IngestOutcome> group(TelemetryPublish... publishes) {
    return sink.telemetryGroup(List.of(publishes).iterator());
  }

  private List<Long> written(int write) {
    return writes.get(write).stream().map(w -> w.batch().batch().sequence()).toList();
  }

  @Test
  void aGroupIsVerifiedInOrderWrittenInOneRequestAndEachChainHeadSavedOnce() {
    List<IngestOutcome> outcomes =
        group(
            publish(nmr.get(0)),
            publish(ms.get(0)),
            publish(nmr.get(1)),
            publish(nmr.get(2)),
            publish(ms.get(1)));

    // each later batch links to the head the earlier one of its chain left, though none is saved
    assertThat(outcomes)
        .containsExactly(
            new IngestOutcome.Stored(3, ChainLink.GENESIS),
            new IngestOutcome.Stored(2, ChainLink.GENESIS),
            new IngestOutcome.Stored(3, ChainLink.LINKED),
            new IngestOutcome.Stored(3, ChainLink.LINKED),
            new IngestOutcome.Stored(2, ChainLink.LINKED));
    assertThat(writes).hasSize(1);
    assertThat(written(0)).containsExactly(0L, 0L, 1L, 2L, 1L);
    assertThat(writes.get(0)).allMatch(BatchWrite::chainOk);
    assertThat(advanced).containsExactlyInAnyOrder("nmr-1@2", "ms-1@1");
    assertThat(registry.counter("collector.batches.accepted").count()).isEqualTo(5);
    assertThat(registry.timer("collector.write.latency").count()).isEqualTo(1);
  }

  @Test
  void duplicatesAndRejectionsInsideAGroupAreAcknowledgedButNotWritten() {
    assertThat(group(publish(nmr.get(0))))
        .containsExactly(new IngestOutcome.Stored(3, ChainLink.GENESIS));
    byte[] tampered =
        TestBatches.flip(nmr.get(2).envelope(), nmr.get(2).envelope().length - 64 - 5);

    List<IngestOutcome> outcomes =
        group(
            publish(nmr.get(0)), // stored by the earlier group
            publish(nmr.get(1)),
            publish("nmr-1", tampered),
            publish(nmr.get(1)), // the group's own head
            publish(nmr.get(2)),
            publish(nmr.get(1))); // an earlier batch of the same group

    assertThat(outcomes)
        .containsExactly(
            new IngestOutcome.Duplicate(),
            new IngestOutcome.Stored(3, ChainLink.LINKED),
            new IngestOutcome.Rejected(RejectReason.BAD_SIGNATURE),
            new IngestOutcome.Duplicate(),
            new IngestOutcome.Stored(3, ChainLink.LINKED),
            new IngestOutcome.Duplicate());
    assertThat(written(1)).containsExactly(1L, 2L);
    assertThat(quarantine.recent())
        .singleElement()
        .satisfies(q -> assertThat(q.payload()).isEqualTo(tampered));
    assertThat(advanced).containsExactly("nmr-1@0", "nmr-1@2");
  }

  @Test
  void signaturesCheckedTogetherStillNameEachBadOneAcrossCheckGroups() {
    int n = 2 * SignatureCheck.MAX_GROUP + 22;
    List<SignedBatch> chain = TestBatches.chain(KEY, "agent-1", "nmr-1", n, START, 1);
    Set<Integer> bad = Set.of(0, SignatureCheck.MAX_GROUP - 1, SignatureCheck.MAX_GROUP, n - 1);
    List<TelemetryPublish> publishes = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      byte[] envelope = chain.get(i).envelope();
      // a changed byte of S: the signature no longer verifies
      publishes.add(
          publish(
              "nmr-1",
              bad.contains(i) ? TestBatches.flip(envelope, envelope.length - 3) : envelope));
    }

    List<IngestOutcome> outcomes = sink.telemetryGroup(publishes.iterator());

    assertThat(outcomes).hasSize(n);
    for (int i = 0; i < n; i++) {
      if (bad.contains(i)) {
        assertThat(outcomes.get(i))
            .as("publish %d", i)
            .isEqualTo(new IngestOutcome.Rejected(RejectReason.BAD_SIGNATURE));
      } else {
        assertThat(outcomes.get(i)).as("publish %d", i).isInstanceOf(IngestOutcome.Stored.class);
      }
    }
    assertThat(writes).hasSize(1);
    assertThat(written(0))
        .hasSize(n - bad.size())
        .doesNotContainAnyElementsOf(bad.stream().map(Integer::longValue).toList());
    assertThat(
            registry
                .counter("collector.rejected", "reason", RejectReason.BAD_SIGNATURE.tag())
                .count())
        .isEqualTo(bad.size());
  }

  @Test
  void aFailedWriteFailsTheWholeGroupAndLeavesNoTraceOfIt() {
    group(publish(nmr.get(0)));
    storeDown = true;

    List<IngestOutcome> failed =
        group(publish(nmr.get(1)), publish(nmr.get(0)), publish(ms.get(0)), publish(nmr.get(2)));

    assertThat(failed).hasSize(4).allMatch(o -> o instanceof IngestOutcome.StoreFailed);
    assertThat(advanced).containsExactly("nmr-1@0");
    assertThat(registry.counter("collector.write.failures").count()).isEqualTo(1);

    // the agent resends the same batches: they link to the saved head and are stored, not
    // mistaken for duplicates of batches that never landed
    storeDown = false;
    List<IngestOutcome> resent =
        group(publish(nmr.get(1)), publish(ms.get(0)), publish(nmr.get(2)));

    assertThat(resent)
        .containsExactly(
            new IngestOutcome.Stored(3, ChainLink.LINKED),
            new IngestOutcome.Stored(2, ChainLink.GENESIS),
            new IngestOutcome.Stored(3, ChainLink.LINKED));
    assertThat(written(1)).containsExactly(1L, 0L, 2L);
    assertThat(advanced).containsExactly("nmr-1@0", "nmr-1@2", "ms-1@0");
  }

  @Test
  void aGroupWithNothingToWriteSendsNoRequest() {
    group(publish(nmr.get(0)));

    List<IngestOutcome> outcomes =
        group(publish(nmr.get(0)), publish("nmr-1", new byte[] {1, 2, 3}));

    assertThat(outcomes)
        .containsExactly(
            new IngestOutcome.Duplicate(), new IngestOutcome.Rejected(RejectReason.MALFORMED));
    assertThat(writes).hasSize(1);
    assertThat(advanced).containsExactly("nmr-1@0");
  }

  @Test
  void aGapInsideAGroupIsStoredUnverifiedAndTheNextBatchLinksToIt() {
    List<IngestOutcome> outcomes =
        group(publish(nmr.get(0)), publish(nmr.get(2)), publish(nmr.get(3)));

    assertThat(outcomes)
        .containsExactly(
            new IngestOutcome.Stored(3, ChainLink.GENESIS),
            new IngestOutcome.Stored(3, ChainLink.GAP),
            new IngestOutcome.Stored(3, ChainLink.LINKED));
    // 1 is missing before 2: 2 stays unverified until it comes; 3 names 2, which is there
    assertThat(writes.get(0)).extracting(BatchWrite::chainOk).containsExactly(true, false, true);
    assertThat(advanced).containsExactly("nmr-1@3");

    List<IngestOutcome> late = group(publish(nmr.get(1)));

    assertThat(late).containsExactly(new IngestOutcome.Stored(3, ChainLink.FILLED));
    // the filler, then 2 written again (same rows, same keys) as verified
    assertThat(writes.get(1))
        .extracting(w -> w.batch().batch().sequence(), BatchWrite::chainOk)
        .containsExactly(tuple(1L, true), tuple(2L, true));
    assertThat(advanced).containsExactly("nmr-1@3");
  }

  @Test
  void refusedPayloadsAndStatusMessagesGoToTheRecordsButNotToTheStore() {
    List<Object> recorded = new ArrayList<>();
    IngestRecords records =
        new IngestRecords() {
          @Override
          public void quarantined(QuarantinedPayload payload) {
            recorded.add(payload.reason());
          }

          @Override
          public void status(AgentStatus status) {
            recorded.add(status);
          }
        };
    VerifyingPublishSink withRecords =
        new VerifyingPublishSink(
            heads ->
                new BatchVerifier(
                    heads, Duration.ofMinutes(5), Duration.ofHours(1), Clock.systemUTC()),
            recordingHeads,
            store,
            quarantine,
            records,
            UnverifiedLog.off(),
            new CollectorMetrics(registry),
            Clock.fixed(Instant.ofEpochMilli(START), ZoneOffset.UTC));
    // sequence 1 again, with other samples: a fork
    SignedBatch other =
        TestBatches.batch(KEY, "agent-1", "nmr-1", 1, nmr.get(0).hash(), START + 60_000, 1);
    withRecords.telemetryGroup(List.of(publish(nmr.get(0)), publish(nmr.get(1))).iterator());

    List<IngestOutcome> outcomes =
        withRecords.telemetryGroup(List.of(publish("nmr-1", other.envelope())).iterator());
    IngestOutcome birth =
        withRecords.status(
            AGENT, "{\"state\":\"online\",\"epoch\":2,\"ts\":5}".getBytes(StandardCharsets.UTF_8));
    IngestOutcome junk = withRecords.status(AGENT, "up".getBytes(StandardCharsets.UTF_8));

    assertThat(outcomes).containsExactly(new IngestOutcome.Rejected(RejectReason.FORK));
    assertThat(birth.acknowledge()).isTrue();
    assertThat(junk.acknowledge()).isTrue();
    assertThat(recorded)
        .containsExactly(RejectReason.FORK, new AgentStatus("agent-1", "online", 2, 5, START));
    assertThat(writes).hasSize(1); // only the genesis
    assertThat(registry.counter("collector.rejected", "reason", "status_malformed").count())
        .isEqualTo(1);
  }
}
