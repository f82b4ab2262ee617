package org.labmeter.agent.publish;

import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.labmeter.agent.metrics.AgentMetrics;
import org.labmeter.agent.outbox.Outbox;
import org.labmeter.agent.outbox.OutboxEntry;
import org.labmeter.wire.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves batches from the outbox to the broker: oldest first per instrument, instruments in turn, at
 * most {@code maxInflight} unacknowledged at a time, and releases a batch only at its PUBACK. After
 * a reconnect it starts again from each instrument's oldest pending batch, so a batch whose PUBACK
 * was lost is sent again (the collector deduplicates) and none is skipped.
 *
 * <p>Confined to the agent's executor, where the publisher also completes its futures.
 */
public final class OutboxDrain implements BatchPublisher.Listener {
  private static final Logger log = LoggerFactory.getLogger(OutboxDrain.class);

  private final String agentId;
  private final Outbox outbox;
  private final BatchPublisher publisher;
  private final int maxInflight;
  private final AgentMetrics metrics;
  private final Map<String, Long> sentUpTo = new HashMap<>();
  private final AtomicLong acked = new AtomicLong();
  private int inflight;
  private long generation;
  private int turn;

  public OutboxDrain(
      String agentId,
      Outbox outbox,
      BatchPublisher publisher,
      int maxInflight,
      AgentMetrics metrics) {
    this.agentId = agentId;
    this.outbox = outbox;
    this.publisher = publisher;
    this.maxInflight = maxInflight;
    this.metrics = metrics;
  }

  @Override
  public void connected() {
    restart();
    log.info(
        "agent {}: publishing {} pending batches from the outbox", agentId, outbox.pendingCount());
    pump();
  }

  @Override
  public void disconnected(Throwable cause) {
    restart();
  }

  /** Sends what the in-flight window allows; call after a batch was sealed or acknowledged. */
  public void pump() {
    if (!publisher.isConnected()) {
      return;
    }
    List<String> instruments = outbox.instruments();
    int idle = 0;
    while (inflight < maxInflight && idle < instruments.size()) {
      turn = (turn + 1) % instruments.size();
      String instrumentId = instruments.get(turn);
      Optional<OutboxEntry> next =
          outbox.next(instrumentId, sentUpTo.getOrDefault(instrumentId, -1L));
      if (next.isEmpty()) {
        idle++;
        continue;
      }
      idle = 0;
      if (!send(next.get())) {
        return; // refused at once: try again at the next acknowledgement, seal or reconnect
      }
    }
  }

  /** Batches acknowledged and deleted since start. */
  public long acked() {
    return acked.get();
  }

  /** Batches sent in this connection and not acknowledged yet. */
  public int inflight() {
    return inflight;
  }

  private void restart() {
    generation++;
    inflight = 0;
    turn = 0;
    sentUpTo.clear();
  }

  /** Returns false when the publisher refused the batch at once. */
  private boolean send(OutboxEntry entry) {
    sentUpTo.put(entry.instrumentId(), entry.sequence());
    byte[] envelope;
    try {
      envelope = outbox.read(entry);
    } catch (IOException e) {
      log.error(
          "agent {} instrument {}: cannot read outbox batch {}: {}",
          agentId,
          entry.instrumentId(),
          entry.sequence(),
          e.toString());
      return true;
    }
    inflight++;
    long sentIn = generation;
    CompletableFuture<Void> acked =
        publisher.publish(Topics.telemetry(agentId, entry.instrumentId()), envelope);
    acked.whenComplete((ok, error) -> completed(entry, sentIn, error));
    return !acked.isCompletedExceptionally();
  }

  private void completed(OutboxEntry entry, long sentIn, Throwable error) {
    if (sentIn == generation) {
      inflight--;
    }
    if (error == null) {
      try {
        if (outbox.delete(entry)) {
          acked.incrementAndGet();
          metrics.batchAcked(entry.instrumentId());
        }
      } catch (IOException e) {
        log.error(
            "agent {} instrument {}: cannot delete acknowledged batch {}: {}",
            agentId,
            entry.instrumentId(),
            entry.sequence(),
            e.toString());
      }
    }
    if (sentIn != generation) {
      return;
    }
    if (error == null) {
      pump();
    } else {
      // Refused without a disconnect: send it again at the next pump rather than leave a hole.
      sentUpTo.merge(entry.instrumentId(), entry.sequence() - 1, Math::min);
      log.warn(
          "agent {} instrument {}: batch {} not sent: {}",
          agentId,
          entry.instrumentId(),
          entry.sequence(),
          error.toString());
    }
  }
}
