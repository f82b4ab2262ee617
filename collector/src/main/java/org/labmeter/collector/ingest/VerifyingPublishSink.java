package org.labmeter.collector.ingest;

import java.time.Clock;
import java.util.concurrent.TimeUnit;
import org.labmeter.collector.auth.AgentRecord;
import org.labmeter.collector.metrics.CollectorMetrics;
import org.labmeter.collector.store.SampleWriter;
import org.labmeter.collector.store.StoreWriteException;
import org.labmeter.collector.verify.BatchVerifier;
import org.labmeter.collector.verify.ChainLink;
import org.labmeter.collector.verify.Quarantine;
import org.labmeter.collector.verify.QuarantinedPayload;
import org.labmeter.collector.verify.Verdict;
import org.labmeter.wire.Batch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Verify, then write, then move the chain head: in that order, so that the head never points past a
 * batch the store does not have, and a failed write leaves everything as if the batch never arrived
 * (the agent resends it).
 */
public final class VerifyingPublishSink implements PublishSink {
  private static final Logger LOG = LoggerFactory.getLogger(VerifyingPublishSink.class);

  private final BatchVerifier verifier;
  private final SampleWriter writer;
  private final Quarantine quarantine;
  private final CollectorMetrics metrics;
  private final Clock clock;

  public VerifyingPublishSink(
      BatchVerifier verifier,
      SampleWriter writer,
      Quarantine quarantine,
      CollectorMetrics metrics,
      Clock clock) {
    this.verifier = verifier;
    this.writer = writer;
    this.quarantine = quarantine;
    this.metrics = metrics;
    this.clock = clock;
  }

  @Override
  public IngestOutcome telemetry(
      AgentRecord agent, String instrumentId, String topic, byte[] payload, long receivedAtMillis) {
    Verdict verdict = verifier.verify(agent.agentId(), instrumentId, agent.publicKey(), payload);
    if (verdict instanceof Verdict.Rejected rejected) {
      metrics.rejected(rejected.reason().tag());
      LOG.warn(
          "Rejected batch from agent {} on instrument {}: {} ({}); acknowledged, not stored",
          agent.agentId(),
          instrumentId,
          rejected.reason().tag(),
          rejected.detail());
      quarantine.add(
          new QuarantinedPayload(
              agent.agentId(),
              topic,
              rejected.reason(),
              rejected.detail(),
              clock.instant(),
              payload));
      return new IngestOutcome.Rejected(rejected.reason());
    }
    if (verdict instanceof Verdict.Duplicate duplicate) {
      metrics.duplicate();
      LOG.debug(
          "Duplicate batch seq {} from agent {} on instrument {}; acknowledged without writing",
          duplicate.batch().batch().sequence(),
          agent.agentId(),
          instrumentId);
      return new IngestOutcome.Duplicate();
    }
    Verdict.Accepted accepted = (Verdict.Accepted) verdict;
    Batch batch = accepted.batch().batch();
    long start = System.nanoTime();
    try {
      writer.write(accepted.batch(), accepted.chainOk(), receivedAtMillis);
    } catch (StoreWriteException e) {
      metrics.writeFailed();
      LOG.error(
          "Store write failed for batch seq {} of agent {} on instrument {}: {}; not acknowledged",
          batch.sequence(),
          agent.agentId(),
          instrumentId,
          e.getMessage());
      return new IngestOutcome.StoreFailed(e.getMessage());
    } finally {
      metrics.writeLatency().record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
    }
    try {
      verifier.commit(accepted);
    } catch (RuntimeException e) {
      LOG.error(
          "Batch seq {} of agent {} on instrument {} is stored but its chain head was not saved",
          batch.sequence(),
          agent.agentId(),
          instrumentId,
          e);
    }
    metrics.accepted(batch.samples().size());
    if (accepted.late()) {
      metrics.late();
    }
    logLink(agent.agentId(), instrumentId, batch, accepted.link());
    return new IngestOutcome.Stored(batch.samples().size(), accepted.link());
  }

  @Override
  public IngestOutcome status(AgentRecord agent, byte[] payload) {
    metrics.statusMessage();
    LOG.debug("Status message of {} bytes from agent {}", payload.length, agent.agentId());
    return new IngestOutcome.StatusNoted();
  }

  private void logLink(String agentId, String instrumentId, Batch batch, ChainLink link) {
    switch (link) {
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
            link == ChainLink.GAP ? "gap" : "break",
            batch.sequence(),
            agentId,
            instrumentId);
      }
      case STALE ->
          LOG.info(
              "Batch seq {} of agent {} on instrument {} is behind the chain head; stored again as"
                  + " unverified",
              batch.sequence(),
              agentId,
              instrumentId);
      default -> {}
    }
  }
}
