package org.labmeter.collector.spool;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.labmeter.collector.ingest.GroupCommitLimits;
import org.labmeter.collector.store.BatchStore;
import org.labmeter.collector.store.StoreWriteException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The thread {@value #THREAD_NAME}: while the spool holds batches, writes the oldest of them to the
 * store in groups and, only once the store accepted a group, moves the spool's replay position past
 * it (fsync'd). A failed write is retried after a pause that doubles up to {@code backoffMax}; a
 * write retried after a store that kept part of it lands once thanks to the store's dedup keys.
 */
final class SpoolReplayer implements Runnable {
  static final String THREAD_NAME = "collector-spool-replay";
  private static final Logger LOG = LoggerFactory.getLogger(SpoolReplayer.class);
  private static final long BACKOFF_MIN_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
  private static final long IDLE_CHECK_NANOS = TimeUnit.SECONDS.toNanos(1);

  /**
   * Under write-behind, how long the thread waits after a group that was not full before it takes
   * the next: the store gets a few large commits a second instead of one per spooled group (each
   * commit is an fsync'd transaction per table that QuestDB then applies on its own thread).
   */
  static final Duration WRITE_BEHIND_LINGER = Duration.ofMillis(200);

  private final DiskSpool spool;
  private final BatchStore store;
  private final GroupCommitLimits group;
  private final long backoffMaxNanos;
  private final SpoolMetrics metrics;
  private final Runnable onProgress;
  private final boolean logDrained;
  private final long nanosPerBatch;
  private final long lingerNanos;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition work = lock.newCondition();
  private final Condition stop = lock.newCondition();
  private volatile boolean stopping;

  /**
   * @param onProgress runs after each replayed group, on this thread
   * @param logDrained log each time the spool runs empty (not when every write passes through it)
   * @param maxRate most batches per second written, 0 for no limit
   * @param linger after a group smaller than {@code group} allows, wait this long before the next
   *     (zero: at once)
   */
  SpoolReplayer(
      DiskSpool spool,
      BatchStore store,
      GroupCommitLimits group,
      Duration backoffMax,
      SpoolMetrics metrics,
      Runnable onProgress,
      boolean logDrained,
      int maxRate,
      Duration linger) {
    this.logDrained = logDrained;
    this.lingerNanos = linger.toNanos();
    this.nanosPerBatch = maxRate == 0 ? 0 : TimeUnit.SECONDS.toNanos(1) / maxRate;
    this.spool = spool;
    this.store = store;
    this.group = group;
    this.backoffMaxNanos = Math.max(BACKOFF_MIN_NANOS, backoffMax.toNanos());
    this.metrics = metrics;
    this.onProgress = onProgress;
  }

  /** Something was spooled: wakes the thread if it idles (not while it backs off). */
  void wake() {
    lock.lock();
    try {
      work.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Asks the thread to end after the request in flight, if any. */
  void requestStop() {
    lock.lock();
    try {
      stopping = true;
      work.signalAll();
      stop.signalAll();
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void run() {
    long backoff = BACKOFF_MIN_NANOS;
    boolean failing = false;
    long replayedSinceEmpty = 0;
    while (!stopping) {
      if (spool.isEmpty()) {
        awaitWork();
        continue;
      }
      SpoolSlice slice;
      long began = System.nanoTime();
      try {
        slice = spool.peek(group.maxBatches(), group.maxBytes());
        if (slice.records() == 0) {
          awaitWork();
          continue;
        }
        if (!slice.batches().isEmpty()) {
          store.write(slice.batches());
        }
        spool.markDone(slice);
      } catch (StoreWriteException e) {
        metrics.storeError();
        if (!failing) {
          LOG.warn(
              "Replaying from the spool ({} batches waiting) failed: {}; retrying with back-off"
                  + " up to {} ms",
              spool.records(),
              e.getMessage(),
              TimeUnit.NANOSECONDS.toMillis(backoffMaxNanos));
        }
        failing = true;
        await(stop, backoff);
        backoff = Math.min(backoffMaxNanos, backoff * 2);
        continue;
      } catch (IOException | RuntimeException e) {
        LOG.error(
            "Replay from the spool in {} failed; retrying (a group written twice lands once)",
            spool.directory(),
            e);
        await(stop, backoff);
        backoff = Math.min(backoffMaxNanos, backoff * 2);
        continue;
      }
      metrics.replayed(slice.batches().size());
      replayedSinceEmpty += slice.batches().size();
      if (failing) {
        LOG.info("Store accepts writes again; replaying {} spooled batches", spool.records());
      }
      failing = false;
      backoff = BACKOFF_MIN_NANOS;
      onProgress.run();
      pace(began, slice.batches().size());
      if (lingerNanos > 0 && slice.records() < group.maxBatches()) {
        await(stop, lingerNanos);
      }
      if (logDrained && spool.isEmpty()) {
        LOG.info(
            "Spool {} drained: {} batches replayed to the store; new batches go straight to it",
            spool.directory(),
            replayedSinceEmpty);
        replayedSinceEmpty = 0;
      }
    }
  }

  /** Idles until something is spooled; checked under the lock {@link #wake} takes. */
  private void awaitWork() {
    lock.lock();
    try {
      if (!stopping && spool.isEmpty()) {
        work.awaitNanos(IDLE_CHECK_NANOS);
      }
    } catch (InterruptedException e) {
      stopping = true;
    } finally {
      lock.unlock();
    }
  }

  /** With a rate limit, waits until {@code batches} at that rate have taken their time. */
  private void pace(long beganNanos, int batches) {
    if (nanosPerBatch == 0) {
      return;
    }
    long due = beganNanos + nanosPerBatch * batches;
    for (long left = due - System.nanoTime(); left > 0 && !stopping; ) {
      await(stop, left);
      left = due - System.nanoTime();
    }
  }

  private void await(Condition condition, long nanos) {
    lock.lock();
    try {
      if (!stopping) {
        condition.awaitNanos(nanos);
      }
    } catch (InterruptedException e) {
      stopping = true;
    } finally {
      lock.unlock();
    }
  }
}
