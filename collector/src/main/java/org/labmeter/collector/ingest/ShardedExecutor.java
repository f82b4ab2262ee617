package org.labmeter.collector.ingest;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * N named single-thread workers, each with a bounded queue; an agent always lands on the same
 * worker, so its batches are verified, written and acknowledged in order and its hash chain is only
 * touched by one thread. A queue at its high-water mark asks the submitting connection to stop
 * reading (TCP then pushes back on the agent) and wakes it once the queue is down to half. A margin
 * above the mark absorbs packets already decoded from the socket; beyond it a submission is refused
 * and the caller closes that connection.
 */
public final class ShardedExecutor implements ShardDispatcher {
  private static final Logger LOG = LoggerFactory.getLogger(ShardedExecutor.class);
  private static final Runnable STOP = () -> {};

  private final Shard[] shards;
  private volatile boolean stopping;

  /**
   * @param shardCount number of worker threads
   * @param highWatermark queued tasks per worker at which reading pauses
   * @param threadNamePrefix threads are named prefix-0, prefix-1, ...
   */
  public ShardedExecutor(int shardCount, int highWatermark, String threadNamePrefix) {
    if (shardCount < 1 || highWatermark < 1) {
      throw new IllegalArgumentException("shardCount and highWatermark must be >= 1");
    }
    shards = new Shard[shardCount];
    for (int i = 0; i < shardCount; i++) {
      shards[i] = new Shard(threadNamePrefix + "-" + i, highWatermark);
      shards[i].thread.start();
    }
  }

  @Override
  public Admission submit(String agentId, Runnable task, Runnable resumeReading) {
    if (stopping) {
      return Admission.REFUSED;
    }
    return shards[Math.floorMod(agentId.hashCode(), shards.length)].submit(task, resumeReading);
  }

  /** Tasks waiting across all workers. */
  public int queued() {
    int total = 0;
    for (Shard shard : shards) {
      total += shard.queue.size();
    }
    return total;
  }

  /**
   * Refuses new work, lets every worker finish what is queued, and waits up to {@code timeout} for
   * the threads to end; threads still busy after that are interrupted. Idempotent.
   */
  public void shutdown(Duration timeout) {
    stopping = true;
    long deadline = System.nanoTime() + timeout.toNanos();
    for (Shard shard : shards) {
      shard.stop(deadline);
    }
    for (Shard shard : shards) {
      long left = deadline - System.nanoTime();
      try {
        shard.thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      if (shard.thread.isAlive()) {
        LOG.warn(
            "Worker {} still busy after {}; interrupting it with {} tasks queued",
            shard.thread.getName(),
            timeout,
            shard.queue.size());
        shard.thread.interrupt();
      }
    }
  }

  private final class Shard {
    private final BlockingQueue<Runnable> queue;
    private final int high;
    private final int low;
    private final Object lock = new Object();
    private final Set<Runnable> paused = new LinkedHashSet<>();
    private final Thread thread;

    Shard(String name, int high) {
      this.high = high;
      this.low = high / 2;
      this.queue = new ArrayBlockingQueue<>(high + Math.max(64, high) + 1);
      this.thread = new Thread(this::run, name);
      this.thread.setDaemon(false);
    }

    Admission submit(Runnable task, Runnable resumeReading) {
      synchronized (lock) {
        if (!queue.offer(task)) {
          return Admission.REFUSED;
        }
        if (queue.size() >= high) {
          paused.add(resumeReading);
          return Admission.PAUSE_READING;
        }
        return Admission.ACCEPTED;
      }
    }

    void stop(long deadlineNanos) {
      try {
        long left = Math.max(1, deadlineNanos - System.nanoTime());
        if (!queue.offer(STOP, left, TimeUnit.NANOSECONDS)) {
          thread.interrupt();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    private void run() {
      while (true) {
        Runnable task;
        try {
          task = queue.take();
        } catch (InterruptedException e) {
          return;
        }
        if (task == STOP) {
          return;
        }
        try {
          task.run();
        } catch (RuntimeException | Error e) {
          LOG.error("Task on worker {} failed", thread.getName(), e);
        }
        resumeIfDrained();
      }
    }

    private void resumeIfDrained() {
      List<Runnable> wake;
      synchronized (lock) {
        if (paused.isEmpty() || queue.size() > low || stopping) {
          return;
        }
        wake = new ArrayList<>(paused);
        paused.clear();
      }
      for (Runnable resume : wake) {
        try {
          resume.run();
        } catch (RuntimeException e) {
          LOG.warn("Resuming a paused connection failed on worker {}", thread.getName(), e);
        }
      }
    }
  }
}
