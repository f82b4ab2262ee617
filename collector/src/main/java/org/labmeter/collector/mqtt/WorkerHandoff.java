package org.labmeter.collector.mqtt;

import io.netty.util.concurrent.EventExecutor;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.labmeter.collector.ingest.ShardDispatcher;
import org.labmeter.collector.ingest.ShardDispatcher.Admission;
import org.labmeter.collector.metrics.CollectorMetrics;

/**
 * Hands one connection's admitted publishes to the agent's worker, in arrival order. When the
 * worker's queue refuses one (full even beyond its pause margin: many connections of one shard each
 * handed over what they had decoded before reading stopped), that publish and every later one wait
 * here, reading stays paused, and the hand-over is tried again a few milliseconds later. The
 * connection stays open and nothing is dropped; TCP pushes back on the agent. Only what was already
 * decoded from the socket can wait here, so the memory it holds is bounded by the read buffer. Used
 * on the channel's event loop only.
 */
final class WorkerHandoff {
  /** What became of a publish handed over. */
  enum Result {
    /** Queued for the worker, or waiting here for room. */
    TAKEN,
    /** The collector is stopping: nothing more is taken. */
    SHUTTING_DOWN
  }

  private static final long RETRY_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

  private final ArrayDeque<PublishWork> held = new ArrayDeque<>();
  private final ShardDispatcher workers;
  private final String agentId;
  private final EventExecutor loop;
  private final ReadGate gate;
  private final Runnable resumeReading;
  private final CollectorMetrics metrics;
  private final BooleanSupplier draining;
  private final BooleanSupplier closed;
  private boolean retrying;

  /**
   * @param resumeReading lifts {@link ReadGate.Reason#WORKERS}; the workers call it once a queue at
   *     its mark has drained
   * @param draining true while the collector stops
   * @param closed true once the connection is closing: what waits is then dropped, unacknowledged
   */
  WorkerHandoff(
      ShardDispatcher workers,
      String agentId,
      EventExecutor loop,
      ReadGate gate,
      Runnable resumeReading,
      CollectorMetrics metrics,
      BooleanSupplier draining,
      BooleanSupplier closed) {
    this.workers = workers;
    this.agentId = agentId;
    this.loop = loop;
    this.gate = gate;
    this.resumeReading = resumeReading;
    this.metrics = metrics;
    this.draining = draining;
    this.closed = closed;
  }

  Result hand(PublishWork work) {
    if (!held.isEmpty()) {
      held.add(work); // behind the ones already waiting: order is kept
      return Result.TAKEN;
    }
    Admission admission = workers.submit(agentId, work, resumeReading);
    if (admission == Admission.REFUSED) {
      if (draining.getAsBoolean()) {
        return Result.SHUTTING_DOWN;
      }
      held.add(work);
      if (gate.pause(ReadGate.Reason.HELD)) {
        metrics.backpressurePaused();
      }
      scheduleRetry();
    } else if (admission == Admission.PAUSE_READING && gate.pause(ReadGate.Reason.WORKERS)) {
      metrics.backpressurePaused();
    }
    return Result.TAKEN;
  }

  /** Publishes waiting here for room. */
  int waiting() {
    return held.size();
  }

  private void scheduleRetry() {
    if (!retrying) {
      retrying = true;
      loop.schedule(this::retry, RETRY_NANOS, TimeUnit.NANOSECONDS);
    }
  }

  private void retry() {
    retrying = false;
    if (closed.getAsBoolean() || draining.getAsBoolean()) {
      held.clear(); // never acknowledged: the agent sends them again
      return;
    }
    while (!held.isEmpty()) {
      Admission admission = workers.submit(agentId, held.peek(), resumeReading);
      if (admission == Admission.REFUSED) {
        scheduleRetry();
        return;
      }
      held.poll();
      if (admission == Admission.PAUSE_READING) {
        gate.pause(ReadGate.Reason.WORKERS);
      }
    }
    gate.resume(ReadGate.Reason.HELD);
  }
}
