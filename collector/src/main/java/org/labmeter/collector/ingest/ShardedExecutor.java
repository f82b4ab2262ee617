package org.labmeter.collector.ingest;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * N named single-thread workers, each with a bounded queue; an agent always lands on the same
 * worker, so its batches are verified, written and acknowledged in order and its hash chain is only
 * touched by one thread. A queue at its high-water mark asks the submitting connection to stop
 * reading (TCP then pushes back on the agent) and wakes it once the queue is down to half. A margin
 * above the mark ({@code max(64, mark)}, plus {@link #PER_PAUSED_CONNECTION} for each further
 * paused connection) absorbs packets already decoded from the sockets; beyond it a submission is
 * refused and the caller closes that connection.
 *
 * <p>A worker that becomes free and finds several {@link GroupableTask}s of the same key at the
 * head of its queue takes them as one group, up to its {@link GroupCommitLimits}, and runs them
 * with {@link GroupableTask#runGroup}: this is how one store request carries many publishes. A
 * plain task, or one of another key, ends the group; order is kept either way.
 */
public final class ShardedExecutor implements ShardDispatcher {
  private static final Logger LOG = LoggerFactory.getLogger(ShardedExecutor.class);
  private static final Runnable STOP = () -> {};

  /** Queued tasks allowed above the margin for each paused connection after the first. */
  static final int PER_PAUSED_CONNECTION = 32;

  private final Shard[] shards;
  private final GroupCommitLimits limits;
  private volatile boolean stopping;

  /** With {@link GroupCommitLimits#DEFAULT}. */
  public ShardedExecutor(int shardCount, int highWatermark, String threadNamePrefix) {
    this(shardCount, highWatermark, threadNamePrefix, GroupCommitLimits.DEFAULT);
  }

  /**
   * @param shardCount number of worker threads
   * @param highWatermark queued tasks per worker at which reading pauses
   * @param threadNamePrefix threads are named prefix-0, prefix-1, ...
   * @param limits how many queued groupable tasks one run may take
   */
  public ShardedExecutor(
      int shardCount, int highWatermark, String threadNamePrefix, GroupCommitLimits limits) {
    if (shardCount < 1 || highWatermark < 1) {
      throw new IllegalArgumentException("shardCount and highWatermark must be >= 1");
    }
    this.limits = Objects.requireNonNull(limits, "limits");
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
    private final int margin;
    private final Object lock = new Object();
    private final Set<Runnable> paused = new LinkedHashSet<>();
    private final Thread thread;

    Shard(String name, int high) {
      this.high = high;
      this.low = high / 2;
      this.margin = Math.max(64, high) + 1;
      this.queue = new LinkedBlockingQueue<>(); // bounded in submit
      this.thread = new Thread(this::run, name);
      this.thread.setDaemon(false);
    }

    Admission submit(Runnable task, Runnable resumeReading) {
      synchronized (lock) {
        // every connection paused at the mark may still hand over what it had already decoded:
        // the margin grows with them, so a fleet of slow agents is paused, not disconnected
        int limit = high + margin + PER_PAUSED_CONNECTION * Math.max(0, paused.size() - 1);
        if (queue.size() >= limit || !queue.offer(task)) {
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
          if (task instanceof GroupableTask first) {
            first.runGroup(new Group(first));
          } else {
            task.run();
          }
        } catch (RuntimeException | Error e) {
          LOG.error("Task on worker {} failed", thread.getName(), e);
        }
        resumeIfDrained();
      }
    }

    /**
     * The first task, then the tasks of its key queued right behind it, within the limits. Only
     * this thread takes from the queue, so what {@code peek} shows is what {@code poll} removes.
     */
    private final class Group implements Iterator<GroupableTask> {
      private final Object key;
      private GroupableTask first;
      private boolean closed;
      private int count;
      private long bytes;

      Group(GroupableTask first) {
        this.first = first;
        this.key = first.groupKey();
      }

      @Override
      public boolean hasNext() {
        if (first != null) {
          return true;
        }
        // once the queue ran dry the group is closed: what arrives later forms the next group
        closed =
            closed
                || count >= limits.maxBatches()
                || !(queue.peek() instanceof GroupableTask next)
                || next.groupKey() != key
                || bytes + next.groupBytes() > limits.maxBytes();
        return !closed;
      }

      @Override
      public GroupableTask next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        GroupableTask task = first != null ? first : (GroupableTask) queue.poll();
        first = null;
        count++;
        bytes += task.groupBytes();
        return task;
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
