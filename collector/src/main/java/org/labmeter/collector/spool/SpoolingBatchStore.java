package org.labmeter.collector.spool;

import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.labmeter.collector.store.BatchStore;
import org.labmeter.collector.store.BatchWrite;
import org.labmeter.collector.store.StoreWriteException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link BatchStore} that accepts a group when the real store did, or when the group is fsync'd
 * to the collector's {@link DiskSpool}: either way the batches are durable, so the caller may send
 * PUBACK. With {@link SpoolSettings#writeBehind()} every group takes the second way, and the store
 * is written only by the replay thread. While the spool holds anything, new groups go behind it
 * rather than to the store, so an agent's batches reach the store in the order they arrived; a
 * {@link SpoolReplayer} thread moves them on once the store takes writes again.
 *
 * <p>Bounds: from {@link SpoolSettings#backpressureBytes()} on, a write waits (on the calling
 * worker, up to {@link SpoolSettings#backpressureMaxWait()}) for replay to make room; the worker's
 * queue then fills and the connections feeding it stop reading, which pushes back on the agents
 * over TCP. A write that would take the spool past {@link SpoolSettings#maxBytes()} is refused with
 * {@link StoreWriteException}: no PUBACK, the connection closes, and the agent keeps the batch in
 * its outbox.
 *
 * <p>Thread-safe: the shard workers call {@link #write} concurrently. An agent always writes from
 * the same worker, which is what keeps its order; groups of different workers need none.
 */
public final class SpoolingBatchStore implements BatchStore, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SpoolingBatchStore.class);
  private static final long JOIN_MILLIS = 10_000;

  private final BatchStore store;
  private final DiskSpool spool;
  private final SpoolSettings settings;
  private final SpoolMetrics metrics;
  private final SpoolReplayer replayer;
  private final Thread replayThread;
  private final Object room = new Object();
  private final AtomicBoolean started = new AtomicBoolean();
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile boolean waitForRoom = true;
  private volatile boolean spooling;

  private SpoolingBatchStore(
      BatchStore store, DiskSpool spool, SpoolSettings settings, MeterRegistry registry) {
    this.store = store;
    this.spool = spool;
    this.settings = settings;
    this.metrics = new SpoolMetrics(registry, spool, System::currentTimeMillis);
    metrics.torn(spool.tornRecordsAtOpen());
    this.replayer =
        new SpoolReplayer(
            spool,
            store,
            settings.replayGroup(),
            settings.retryBackoffMax(),
            metrics,
            this::roomMade,
            !settings.writeBehind(),
            settings.replayMaxRate(),
            settings.writeBehind() ? SpoolReplayer.WRITE_BEHIND_LINGER : Duration.ZERO);
    this.replayThread = new Thread(replayer, SpoolReplayer.THREAD_NAME);
    this.spooling = !spool.isEmpty();
    spool.reuseDrainedSegment(settings.writeBehind());
  }

  /**
   * Opens (or creates) the spool in {@code settings.directory()} and recovers it; {@link #start}
   * begins the replay.
   *
   * @param store the real store; this class never closes it
   * @param registry receives the {@code collector.spool.*} meters
   */
  public static SpoolingBatchStore open(
      BatchStore store, SpoolSettings settings, MeterRegistry registry) throws IOException {
    DiskSpool spool =
        DiskSpool.open(settings.directory(), settings.segmentBytes(), settings.maxBytes());
    return new SpoolingBatchStore(store, spool, settings, registry);
  }

  /** Starts the replay thread; what an earlier run left in the spool goes to the store first. */
  public CompletableFuture<Void> start() {
    if (closed.get()) {
      return CompletableFuture.failedFuture(new IllegalStateException("spool closed"));
    }
    if (started.compareAndSet(false, true)) {
      replayThread.start();
    }
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public void write(List<BatchWrite> batches) throws StoreWriteException {
    if (batches.isEmpty()) {
      return;
    }
    if (!settings.writeBehind() && spool.isEmpty()) {
      try {
        store.write(batches);
        return;
      } catch (StoreWriteException e) {
        metrics.storeError();
        if (!spooling) {
          LOG.warn(
              "Store write of {} batches failed ({}); spooling to {} until the store takes writes"
                  + " again",
              batches.size(),
              e.getMessage(),
              spool.directory());
        }
      }
    }
    spooling = true;
    awaitRoom();
    try {
      spool.append(batches);
    } catch (SpoolFullException e) {
      metrics.refused(batches.size());
      LOG.warn(
          "Refused {} batches (first: agent {}, seq {}): {}; not acknowledged, the agents keep"
              + " them",
          batches.size(),
          batches.get(0).batch().batch().agentId(),
          batches.get(0).batch().batch().sequence(),
          e.getMessage());
      throw new StoreWriteException(e.getMessage(), e);
    } catch (IOException e) {
      metrics.refused(batches.size());
      LOG.error("Appending {} batches to the spool failed; not acknowledged", batches.size(), e);
      throw new StoreWriteException("spool append failed: " + e, e);
    }
    metrics.appended(batches.size());
    replayer.wake();
  }

  /**
   * False while the spool holds {@link SpoolSettings#unhealthyBytes()} or more, or once the replay
   * thread has died: the store has been unreachable for a while and the operator should know.
   */
  public boolean healthy() {
    boolean replaying = !started.get() || closed.get() || replayThread.isAlive();
    return replaying && (spool.isEmpty() || spool.bytes() < settings.unhealthyBytes());
  }

  /** Batches waiting for replay. */
  public long depthRecords() {
    return spool.records();
  }

  /** Bytes waiting for replay. */
  public long depthBytes() {
    return spool.bytes();
  }

  /**
   * From now on a write does not wait for room (it is spooled if it fits, refused if not), so that
   * workers draining their queues at shutdown are not held up by a store that is down.
   */
  public void stopWaitingForRoom() {
    waitForRoom = false;
    roomMade();
  }

  /**
   * Stops the replay thread (after the request in flight) and closes the spool files. What is still
   * spooled stays on disk for the next start. Idempotent; does not close the real store.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    stopWaitingForRoom();
    replayer.requestStop();
    if (started.get()) {
      try {
        replayThread.join(JOIN_MILLIS);
        if (replayThread.isAlive()) {
          LOG.warn("Replay thread still writing after {} ms; interrupting it", JOIN_MILLIS);
          replayThread.interrupt();
          replayThread.join(JOIN_MILLIS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    try {
      spool.close();
    } catch (IOException e) {
      LOG.warn("Closing the spool in {} failed: {}", spool.directory(), e.toString());
    }
    metrics.remove();
    if (!spool.isEmpty()) {
      LOG.info(
          "Spool {} closed with {} batches waiting; they are replayed on the next start",
          spool.directory(),
          spool.records());
    }
  }

  /** Holds the calling worker while the spool is at its back-pressure mark. */
  private void awaitRoom() {
    if (!waitForRoom || spool.bytes() < settings.backpressureBytes()) {
      return;
    }
    metrics.backpressureWait();
    LOG.debug(
        "Spool at {} bytes (mark {}); worker {} waits for replay",
        spool.bytes(),
        settings.backpressureBytes(),
        Thread.currentThread().getName());
    long deadline = System.nanoTime() + settings.backpressureMaxWait().toNanos();
    synchronized (room) {
      while (waitForRoom && spool.bytes() >= settings.backpressureBytes()) {
        long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        if (left <= 0) {
          return;
        }
        try {
          room.wait(Math.min(left, 500));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  private void roomMade() {
    if (spool.isEmpty()) {
      spooling = false;
    }
    synchronized (room) {
      room.notifyAll();
    }
  }
}
