package org.labmeter.collector.ingest;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.labmeter.collector.auth.AgentRecord;
import org.labmeter.collector.metrics.CollectorMetrics;
import org.labmeter.collector.records.AgentStatus;
import org.labmeter.collector.records.IngestRecords;
import org.labmeter.collector.store.BatchStore;
import org.labmeter.collector.store.BatchWrite;
import org.labmeter.collector.store.StoreWriteException;
import org.labmeter.collector.sweep.UnverifiedLog;
import org.labmeter.collector.verify.BatchVerifier;
import org.labmeter.collector.verify.ChainEntry;
import org.labmeter.collector.verify.ChainHeads;
import org.labmeter.collector.verify.ChainId;
import org.labmeter.collector.verify.ChainLink;
import org.labmeter.collector.verify.Quarantine;
import org.labmeter.collector.verify.QuarantinedPayload;
import org.labmeter.collector.verify.Verdict;
import org.labmeter.wire.AgentPublicKey;
import org.labmeter.wire.Batch;
import org.labmeter.wire.SignatureCheck;
import org.labmeter.wire.SignedBatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Verify, then write, then move the chain heads: in that order, so that a head never points past a
 * batch the store does not have, and a failed write leaves everything as if the batches never
 * arrived (the agents resend them).
 *
 * <p>A group of publishes is verified in arrival order, each batch seeing the heads the earlier
 * ones of the group would leave (noted, not yet saved); the signatures of up to {@link
 * SignatureCheck#MAX_GROUP} publishes at a time are checked together first, which costs about half
 * of checking them one by one. Then all accepted batches go to the store in one request; only after
 * it succeeded are the heads saved, once per chain, and the outcomes acknowledged. If it fails,
 * every publish of the group fails.
 */
public final class VerifyingPublishSink implements PublishSink {
  private static final Logger LOG = LoggerFactory.getLogger(VerifyingPublishSink.class);

  private final PendingChainHeads heads;
  private final BatchVerifier verifier;
  private final BatchStore store;
  private final Quarantine quarantine;
  private final IngestRecords records;
  private final UnverifiedLog unverified;
  private final CollectorMetrics metrics;
  private final Clock clock;

  /**
   * @param verifierOver builds the verifier over the heads it is given; the sink gives it a view
   *     that shows the heads of the group in progress before they are saved to {@code chainHeads}
   * @param chainHeads where heads are saved (JDBC in production)
   */
  public VerifyingPublishSink(
      Function<ChainHeads, BatchVerifier> verifierOver,
      ChainHeads chainHeads,
      BatchStore store,
      Quarantine quarantine,
      CollectorMetrics metrics,
      Clock clock) {
    this(
        verifierOver,
        chainHeads,
        store,
        quarantine,
        IngestRecords.NONE,
        UnverifiedLog.off(),
        metrics,
        clock);
  }

  /**
   * @param records where refused payloads (besides the in-memory {@code quarantine}) and agents'
   *     status messages are kept
   * @param unverified told of every batch stored unverified, and of every one relinked since, for
   *     the chain sweeper
   */
  public VerifyingPublishSink(
      Function<ChainHeads, BatchVerifier> verifierOver,
      ChainHeads chainHeads,
      BatchStore store,
      Quarantine quarantine,
      IngestRecords records,
      UnverifiedLog unverified,
      CollectorMetrics metrics,
      Clock clock) {
    this.unverified = unverified;
    this.heads = new PendingChainHeads(chainHeads);
    this.verifier = verifierOver.apply(heads);
    this.store = store;
    this.quarantine = quarantine;
    this.records = records;
    this.metrics = metrics;
    this.clock = clock;
  }

  @Override
  public IngestOutcome telemetry(
      AgentRecord agent, String instrumentId, String topic, byte[] payload, long receivedAtMillis) {
    return telemetryGroup(
            List.of(new TelemetryPublish(agent, instrumentId, topic, payload, receivedAtMillis))
                .iterator())
        .get(0);
  }

  @Override
  public List<IngestOutcome> telemetryGroup(Iterator<TelemetryPublish> publishes) {
    List<TelemetryPublish> group = new ArrayList<>();
    List<IngestOutcome> outcomes = new ArrayList<>();
    List<Integer> accepted = new ArrayList<>();
    List<Verdict.Accepted> verdicts = new ArrayList<>();
    Set<ChainId> touched = new LinkedHashSet<>();
    try {
      while (publishes.hasNext()) {
        int from = group.size();
        List<BatchVerifier.Decoded> decoded = new ArrayList<>();
        List<SignedBatch> signed = new ArrayList<>();
        List<AgentPublicKey> keys = new ArrayList<>();
        while (publishes.hasNext() && group.size() - from < SignatureCheck.MAX_GROUP) {
          TelemetryPublish p = publishes.next();
          group.add(p);
          outcomes.add(null);
          touched.add(new ChainId(p.agent().agentId(), p.instrumentId()));
          BatchVerifier.Decoded d =
              verifier.decode(p.agent().agentId(), p.instrumentId(), p.payload());
          decoded.add(d);
          if (d.batch() != null) {
            signed.add(d.batch());
            keys.add(p.agent().publicKey());
          }
        }
        boolean[] valid = SignatureCheck.verifyAll(signed, keys);
        List<SignedBatch> genuine = new ArrayList<>(signed.size());
        for (int k = 0; k < valid.length; k++) {
          if (valid[k]) {
            genuine.add(signed.get(k));
          }
        }
        verifier.prefetch(genuine);
        int next = 0;
        for (int i = from; i < group.size(); i++) {
          TelemetryPublish p = group.get(i);
          BatchVerifier.Decoded d = decoded.get(i - from);
          Verdict verdict;
          if (d.rejected() != null) {
            verdict = d.rejected();
          } else if (!valid[next++]) {
            verdict = BatchVerifier.badSignature(p.agent().publicKey());
          } else {
            verdict = verifier.placeSigned(d.batch(), p.receivedAtMillis());
          }
          if (verdict instanceof Verdict.Accepted a) {
            accepted.add(i);
            verdicts.add(a);
          } else {
            outcomes.set(i, notStored(p, verdict));
          }
        }
      }
    } catch (RuntimeException e) {
      touched.forEach(verifier::discard);
      drain(publishes, group);
      LOG.error("Verifying a group of {} publishes failed; none acknowledged", group.size(), e);
      return failAll(group.size(), e.toString());
    }
    if (!verdicts.isEmpty() && !write(group, accepted, verdicts)) {
      touched.forEach(verifier::discard);
      heads.discard(touched);
      return failAll(group.size(), "store write failed");
    }
    for (ChainId chain : touched) {
      verifier.commit(chain); // the head goes to the pending view, saved just below
    }
    heads.persist(touched);
    for (int k = 0; k < verdicts.size(); k++) {
      Verdict.Accepted a = verdicts.get(k);
      Batch batch = a.batch().batch();
      metrics.accepted(batch.samples().size());
      if (a.late()) {
        metrics.late();
      }
      logLink(batch.agentId(), batch.instrumentId(), batch, a);
      noteForSweeper(group.get(accepted.get(k)), batch, a);
      outcomes.set(accepted.get(k), new IngestOutcome.Stored(batch.samples().size(), a.link()));
    }
    return outcomes;
  }

  @Override
  public IngestOutcome status(AgentRecord agent, byte[] payload) {
    metrics.statusMessage();
    Optional<AgentStatus> status = AgentStatus.parse(agent.agentId(), payload, clock.millis());
    if (status.isEmpty()) {
      metrics.rejected("status_malformed");
      LOG.warn(
          "Status message of {} bytes from agent {} is not {{\"state\":\"online\"|\"offline\","
              + "\"epoch\":N,\"ts\":ms}}; acknowledged, not recorded",
          payload.length,
          agent.agentId());
      return new IngestOutcome.StatusNoted();
    }
    LOG.info(
        "Agent {} is {} (epoch {})", agent.agentId(), status.get().state(), status.get().epoch());
    records.status(status.get());
    return new IngestOutcome.StatusNoted();
  }

  /** The outcome of a rejected or duplicate publish; both are acknowledged, neither written. */
  private IngestOutcome notStored(TelemetryPublish p, Verdict verdict) {
    String agentId = p.agent().agentId();
    if (verdict instanceof Verdict.Rejected rejected) {
      metrics.rejected(rejected.reason().tag());
      LOG.warn(
          "Rejected batch from agent {} on instrument {}: {} ({}); acknowledged, not stored",
          agentId,
          p.instrumentId(),
          rejected.reason().tag(),
          rejected.detail());
      QuarantinedPayload q =
          new QuarantinedPayload(
              agentId,
              p.topic(),
              rejected.reason(),
              rejected.detail(),
              clock.instant(),
              p.payload());
      quarantine.add(q);
      records.quarantined(q);
      return new IngestOutcome.Rejected(rejected.reason());
    }
    Verdict.Duplicate duplicate = (Verdict.Duplicate) verdict;
    metrics.duplicate();
    LOG.debug(
        "Duplicate batch seq {} from agent {} on instrument {}; acknowledged without writing",
        duplicate.batch().batch().sequence(),
        agentId,
        p.instrumentId());
    return new IngestOutcome.Duplicate();
  }

  /** One store request for every accepted batch of the group; false when it failed. */
  private boolean write(
      List<TelemetryPublish> group, List<Integer> accepted, List<Verdict.Accepted> verdicts) {
    List<BatchWrite> writes = new ArrayList<>(verdicts.size());
    for (int k = 0; k < verdicts.size(); k++) {
      Verdict.Accepted a = verdicts.get(k);
      writes.add(
          new BatchWrite(a.batch(), a.chainOk(), group.get(accepted.get(k)).receivedAtMillis()));
      for (ChainEntry again : a.relinked()) {
        // same rows, same dedup keys: the store replaces them with chain_ok / verified true
        writes.add(new BatchWrite(again.batch(), true, again.receivedAtMillis()));
      }
    }
    long start = System.nanoTime();
    try {
      store.write(writes);
      return true;
    } catch (StoreWriteException e) {
      metrics.writeFailed();
      Batch first = verdicts.get(0).batch().batch();
      LOG.error(
          "Store write failed for {} batches (the first seq {} of agent {} on instrument {}): {};"
              + " none of the {} publishes of the group acknowledged",
          writes.size(),
          first.sequence(),
          first.agentId(),
          first.instrumentId(),
          e.getMessage(),
          group.size());
      return false;
    } finally {
      metrics.writeLatency().record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
    }
  }

  private void noteForSweeper(TelemetryPublish p, Batch batch, Verdict.Accepted a) {
    if (a.chainOk() && a.relinked().isEmpty()) {
      return; // the usual case: nothing for the sweeper
    }
    ChainId chain = new ChainId(batch.agentId(), batch.instrumentId());
    if (!a.chainOk()) {
      unverified.note(chain, batch.sequence(), batch.firstTimestampMillis(), p.receivedAtMillis());
    }
    for (ChainEntry again : a.relinked()) {
      unverified.forget(chain, again.sequence());
    }
  }

  /** Takes the rest of the group, so that every publish taken gets its (failed) outcome. */
  private static void drain(Iterator<TelemetryPublish> publishes, List<TelemetryPublish> group) {
    while (publishes.hasNext()) {
      group.add(publishes.next());
    }
  }

  private static List<IngestOutcome> failAll(int size, String message) {
    List<IngestOutcome> failed = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      failed.add(new IngestOutcome.StoreFailed(message));
    }
    return failed;
  }

  private void logLink(String agentId, String instrumentId, Batch batch, Verdict.Accepted a) {
    switch (a.link()) {
      case RESTARTED ->
          LOG.info(
              "Chain restarted for agent {} on instrument {} (epoch {}); earlier batches stay stored",
              agentId,
              instrumentId,
              batch.epoch());
      case GAP, BROKEN -> {
        metrics.chainGap();
        LOG.warn(
            "Chain {} before batch seq {} of agent {} on instrument {}; stored as unverified",
            a.link() == ChainLink.GAP ? "gap" : "break",
            batch.sequence(),
            agentId,
            instrumentId);
      }
      case FILLED -> {
        metrics.gapFilled();
        LOG.info(
            "Batch seq {} of agent {} on instrument {} filled a gap below the head; stored as {}",
            batch.sequence(),
            agentId,
            instrumentId,
            a.chainOk() ? "verified" : "unverified (batches before it are still missing)");
      }
      default -> {}
    }
    if (!a.relinked().isEmpty()) {
      metrics.relinked(a.relinked().size());
      LOG.info(
          "Gap closed by seq {} of agent {} on instrument {}: seq {}..{} written again as verified",
          batch.sequence(),
          agentId,
          instrumentId,
          a.relinked().get(0).sequence(),
          a.relinked().get(a.relinked().size() - 1).sequence());
    }
  }
}
