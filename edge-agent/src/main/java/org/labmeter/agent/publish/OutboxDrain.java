package org.labmeter.agent.publish;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.labmeter.agent.config.ReplayConfig;
import org.labmeter.agent.metrics.AgentMetrics;
import org.labmeter.agent.outbox.Outbox;
import org.labmeter.agent.outbox.OutboxEntry;
import org.labmeter.wire.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves batches from the outbox to the broker and releases each only at its PUBACK.
 *
 * <p>Two lanes share the connection. <b>Live</b>: a batch sealed while connected is sent at once,
 * within {@code maxInflight} unacknowledged. <b>Backlog</b>: whatever was pending when the
 * connection came up (an outage's worth, or batches whose PUBACK was lost) is sent oldest first per
 * instrument, instruments in turn, in the capacity the {@link ReplayConfig} leaves: at most {@code
 * replay.maxInflight} unacknowledged and {@code replay.batchesPerSecond}. So the first live batch
 * after a reconnect reaches the collector within a round trip while a long backlog is still
 * draining; the collector places a chain's batches by sequence, whatever order they arrive in.
 *
 * <p>After a reconnect everything pending is backlog again, from each instrument's oldest batch, so
 * a batch whose PUBACK was lost is sent again (the collector deduplicates) and none is skipped.
 *
 * <p>Confined to the agent's executor, where the publisher also completes its futures.
 */
public final class OutboxDrain implements BatchPublisher.Listener {
  private static final Logger log = LoggerFactory.getLogger(OutboxDrain.class);

  /** Runs a task on the agent's executor after a delay. */
  @FunctionalInterface
  public interface Timer {
    void schedule(Runnable task, long delayNanos);
  }

  private enum Lane {
    LIVE,
    BACKLOG
  }

  private final String agentId;
  private final Outbox outbox;
  private final BatchPublisher publisher;
  private final int maxInflight;
  private final ReplayConfig replay;
  private final Timer timer;
  private final LongSupplier nanoTime;
  private final AgentMetrics metrics;
  private final Deque<OutboxEntry> live = new ArrayDeque<>();
  private final Map<String, Long> liveFrom = new HashMap<>();
  private final Map<String, Long> backlogSentUpTo = new HashMap<>();
  private final AtomicLong acked = new AtomicLong();
  private BacklogThrottle throttle;
  private boolean online;
  private int liveInflight;
  private int backlogInflight;
  private long generation;
  private int turn;
  private boolean wakeupScheduled;

  /** A drain whose backlog goes as fast as the acknowledgements, within the same window. */
  public OutboxDrain(
      String agentId,
      Outbox outbox,
      BatchPublisher publisher,
      int maxInflight,
      AgentMetrics metrics) {
    this(
        agentId,
        outbox,
        publisher,
        maxInflight,
        ReplayConfig.unthrottled(maxInflight),
        (task, delay) -> {
          throw new IllegalStateException("an unthrottled drain schedules nothing");
        },
        System::nanoTime,
        metrics);
  }

  /**
   * @param maxInflight live batches unacknowledged at any time
   * @param timer wakes the drain when the backlog rate allows the next batch
   */
  public OutboxDrain(
      String agentId,
      Outbox outbox,
      BatchPublisher publisher,
      int maxInflight,
      ReplayConfig replay,
      Timer timer,
      LongSupplier nanoTime,
      AgentMetrics metrics) {
    this.agentId = agentId;
    this.outbox = outbox;
    this.publisher = publisher;
    this.maxInflight = maxInflight;
    this.replay = replay;
    this.timer = timer;
    this.nanoTime = nanoTime;
    this.metrics = metrics;
  }

  @Override
  public void connected() {
    restart();
    online = true;
    throttle = new BacklogThrottle(replay.batchesPerSecond(), replay.maxInflight(), nanoTime);
    log.info(
        "agent {}: connected with {} batches pending; replaying them oldest first at up to {}"
            + " batches/s beside live data",
        agentId,
        outbox.pendingCount(),
        replay.batchesPerSecond() == 0 ? "unlimited" : replay.batchesPerSecond());
    pump();
  }

  @Override
  public void disconnected(Throwable cause) {
    restart();
  }

  /**
   * A batch was just made durable in the outbox. While connected it goes out on the live lane;
   * otherwise it waits there for the next connection's backlog.
   */
  public void sealed(OutboxEntry entry) {
    if (online) {
      liveFrom.putIfAbsent(entry.instrumentId(), entry.sequence());
      live.addLast(entry);
    }
    pump();
  }

  /** Sends what the windows and the backlog rate allow. */
  public void pump() {
    if (!online || !publisher.isConnected()) {
      return;
    }
    while (liveInflight < maxInflight && !live.isEmpty()) {
      if (!send(live.pollFirst(), Lane.LIVE)) {
        return; // refused at once (and put back): try again at the next ack, seal or reconnect
      }
    }
    while (backlogInflight < replay.maxInflight()) {
      Optional<OutboxEntry> next = nextBacklog();
      if (next.isEmpty()) {
        return;
      }
      if (!throttle.tryTake()) {
        wakeUpLater();
        return;
      }
      backlogSentUpTo.put(next.get().instrumentId(), next.get().sequence());
      if (!send(next.get(), Lane.BACKLOG)) {
        return;
      }
    }
  }

  /** Batches acknowledged and deleted since start. */
  public long acked() {
    return acked.get();
  }

  /** Batches sent in this connection and not acknowledged yet, both lanes. */
  public int inflight() {
    return liveInflight + backlogInflight;
  }

  /** Backlog batches sent in this connection and not acknowledged yet. */
  public int backlogInflight() {
    return backlogInflight;
  }

  private void restart() {
    generation++;
    online = false;
    liveInflight = 0;
    backlogInflight = 0;
    turn = 0;
    live.clear();
    liveFrom.clear();
    backlogSentUpTo.clear();
  }

  /** The oldest unsent backlog batch of the next instrument in turn that has one. */
  private Optional<OutboxEntry> nextBacklog() {
    List<String> instruments = outbox.instruments();
    for (int i = 0; i < instruments.size(); i++) {
      turn = (turn + 1) % instruments.size();
      String instrumentId = instruments.get(turn);
      Optional<OutboxEntry> next =
          outbox
              .next(instrumentId, backlogSentUpTo.getOrDefault(instrumentId, -1L))
              .filter(e -> e.sequence() < liveFrom.getOrDefault(instrumentId, Long.MAX_VALUE));
      if (next.isPresent()) {
        return next;
      }
    }
    return Optional.empty();
  }

  private void wakeUpLater() {
    if (wakeupScheduled) {
      return;
    }
    wakeupScheduled = true;
    timer.schedule(
        () -> {
          wakeupScheduled = false;
          pump();
        },
        throttle.nanosUntilNext());
  }

  /** Returns false when the publisher refused the batch at once. */
  private boolean send(OutboxEntry entry, Lane lane) {
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
    if (lane == Lane.LIVE) {
      liveInflight++;
    } else {
      backlogInflight++;
    }
    long sentIn = generation;
    CompletableFuture<Void> ack =
        publisher.publish(Topics.telemetry(agentId, entry.instrumentId()), envelope);
    ack.whenComplete((ok, error) -> completed(entry, lane, sentIn, error));
    return !ack.isCompletedExceptionally();
  }

  private void completed(OutboxEntry entry, Lane lane, long sentIn, Throwable error) {
    if (sentIn == generation) {
      if (lane == Lane.LIVE) {
        liveInflight--;
      } else {
        backlogInflight--;
      }
    }
    if (error == null) {
      release(entry);
    }
    if (sentIn != generation) {
      return;
    }
    if (error == null) {
      pump();
      return;
    }
    // Refused without a disconnect: send it again at the next pump rather than leave a hole.
    if (lane == Lane.LIVE) {
      live.addFirst(entry);
    } else {
      backlogSentUpTo.merge(entry.instrumentId(), entry.sequence() - 1, Math::min);
    }
    log.warn(
        "agent {} instrument {}: batch {} not sent: {}",
        agentId,
        entry.instrumentId(),
        entry.sequence(),
        error.toString());
  }

  private void release(OutboxEntry entry) {
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
}
