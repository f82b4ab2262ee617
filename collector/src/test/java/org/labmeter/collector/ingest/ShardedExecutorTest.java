package org.labmeter.collector.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.labmeter.collector.ingest.ShardDispatcher.Admission;

class ShardedExecutorTest {

  @Test
  void oneAgentsWorkRunsInOrderOnOneNamedThread() {
    ShardedExecutor executor = new ShardedExecutor(3, 100, "test-worker");
    List<Integer> order = new CopyOnWriteArrayList<>();
    List<String> threads = new CopyOnWriteArrayList<>();
    for (int i = 0; i < 50; i++) {
      int n = i;
      executor.submit(
          "agent-1",
          () -> {
            order.add(n);
            threads.add(Thread.currentThread().getName());
          },
          () -> {});
    }

    await().atMost(Duration.ofSeconds(5)).until(() -> order.size() == 50);
    assertThat(order).isSortedAccordingTo(Integer::compare);
    assertThat(threads).allMatch(threads.get(0)::equals);
    assertThat(threads.get(0)).startsWith("test-worker-");
    executor.shutdown(Duration.ofSeconds(5));
  }

  @Test
  void aFullQueuePausesThenRefusesAndResumesOnceDrained() throws InterruptedException {
    // high-water mark 4; hard capacity 4 + max(64, 4) + 1 = 69 queued tasks
    ShardedExecutor executor = new ShardedExecutor(1, 4, "test-worker");
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger done = new AtomicInteger();
    AtomicInteger resumed = new AtomicInteger();
    Runnable resume = resumed::incrementAndGet;
    assertThat(
            executor.submit(
                "a",
                () -> {
                  started.countDown();
                  awaitQuietly(release);
                },
                resume))
        .isEqualTo(Admission.ACCEPTED);
    assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();

    Admission[] answers = new Admission[70];
    for (int i = 0; i < 70; i++) {
      answers[i] = executor.submit("a", done::incrementAndGet, resume);
    }

    assertThat(answers[0]).isEqualTo(Admission.ACCEPTED);
    assertThat(answers[2]).isEqualTo(Admission.ACCEPTED);
    assertThat(answers[3]).isEqualTo(Admission.PAUSE_READING);
    assertThat(answers[68]).isEqualTo(Admission.PAUSE_READING);
    assertThat(answers[69]).isEqualTo(Admission.REFUSED);
    assertThat(resumed).hasValue(0);

    release.countDown();

    await().atMost(Duration.ofSeconds(5)).until(() -> done.get() == 69);
    assertThat(resumed).hasValue(1);
    executor.shutdown(Duration.ofSeconds(5));
  }

  @Test
  void manyPausedConnectionsEachGetRoomForWhatTheyHadDecoded() throws InterruptedException {
    // mark 4, margin 65: one connection alone is refused at 69 queued (above); 200 connections
    // that each hand over 3 tasks after the mark (600 + 4) fit in 69 + 32 x 199
    ShardedExecutor executor = new ShardedExecutor(1, 4, "test-worker");
    CountDownLatch release = new CountDownLatch(1);
    holdWorker(executor, release);
    AtomicInteger done = new AtomicInteger();
    AtomicInteger resumed = new AtomicInteger();
    List<Admission> answers = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      answers.add(executor.submit("a", done::incrementAndGet, () -> {}));
    }
    Runnable[] connections = new Runnable[200];
    for (int c = 0; c < connections.length; c++) {
      connections[c] = resumed::incrementAndGet;
    }
    for (int round = 0; round < 3; round++) {
      for (Runnable connection : connections) {
        answers.add(executor.submit("a", done::incrementAndGet, connection));
      }
    }

    assertThat(answers).doesNotContain(Admission.REFUSED);
    assertThat(answers.subList(4, answers.size())).containsOnly(Admission.PAUSE_READING);
    release.countDown();
    await().atMost(Duration.ofSeconds(5)).until(() -> done.get() == 604);
    await().atMost(Duration.ofSeconds(5)).until(() -> resumed.get() == 200);
    executor.shutdown(Duration.ofSeconds(5));
  }

  @Test
  void shutdownFinishesQueuedWorkAndRefusesNewWork() {
    ShardedExecutor executor = new ShardedExecutor(2, 1000, "test-worker");
    AtomicInteger done = new AtomicInteger();
    for (int i = 0; i < 200; i++) {
      executor.submit("agent-" + (i % 7), done::incrementAndGet, () -> {});
    }

    executor.shutdown(Duration.ofSeconds(10));

    assertThat(done).hasValue(200);
    assertThat(executor.submit("agent-1", done::incrementAndGet, () -> {}))
        .isEqualTo(Admission.REFUSED);
    executor.shutdown(Duration.ofSeconds(1));
  }

  /** Records the groups it runs in; tasks with the same key group together. */
  private record Recorded(Object key, int n, int bytes, List<List<Integer>> groups, Runnable during)
      implements GroupableTask {
    @Override
    public void run() {
      runGroup(List.<GroupableTask>of(this).iterator());
    }

    @Override
    public Object groupKey() {
      return key;
    }

    @Override
    public int groupBytes() {
      return bytes;
    }

    @Override
    public void runGroup(Iterator<GroupableTask> group) {
      List<Integer> ids = new ArrayList<>();
      while (group.hasNext()) {
        Recorded r = (Recorded) group.next();
        ids.add(r.n);
        r.during.run();
      }
      groups.add(ids);
    }
  }

  /** Submits a task that holds the single worker until {@code release} opens. */
  private static void holdWorker(ShardedExecutor executor, CountDownLatch release)
      throws InterruptedException {
    CountDownLatch started = new CountDownLatch(1);
    executor.submit(
        "a",
        () -> {
          started.countDown();
          awaitQuietly(release);
        },
        () -> {});
    assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void queuedGroupableTasksRunAsGroupsWithinTheLimitsAndInOrder() throws InterruptedException {
    ShardedExecutor executor =
        new ShardedExecutor(1, 100, "test-worker", new GroupCommitLimits(3, 1_000));
    Object key = new Object();
    Object otherKey = new Object();
    List<List<Integer>> groups = new CopyOnWriteArrayList<>();
    CountDownLatch release = new CountDownLatch(1);
    holdWorker(executor, release);
    for (int i = 0; i < 4; i++) {
      executor.submit("a", new Recorded(key, i, 10, groups, () -> {}), () -> {});
    }
    executor.submit("a", () -> groups.add(List.of(-1)), () -> {}); // a plain task ends a group
    executor.submit("a", new Recorded(key, 4, 10, groups, () -> {}), () -> {});
    executor.submit("a", new Recorded(otherKey, 5, 10, groups, () -> {}), () -> {});
    executor.submit("a", new Recorded(otherKey, 6, 10, groups, () -> {}), () -> {});

    release.countDown();

    await().atMost(Duration.ofSeconds(5)).until(() -> groups.size() == 5);
    // at most 3 a group; the plain task and the change of key each close a group
    assertThat(groups)
        .containsExactly(List.of(0, 1, 2), List.of(3), List.of(-1), List.of(4), List.of(5, 6));
    executor.shutdown(Duration.ofSeconds(5));
  }

  @Test
  void theByteLimitClosesAGroupButALargerTaskStillRunsAlone() throws InterruptedException {
    ShardedExecutor executor =
        new ShardedExecutor(1, 100, "test-worker", new GroupCommitLimits(100, 25));
    Object key = new Object();
    List<List<Integer>> groups = new CopyOnWriteArrayList<>();
    CountDownLatch release = new CountDownLatch(1);
    holdWorker(executor, release);
    int[] sizes = {10, 10, 10, 40, 5};
    for (int i = 0; i < sizes.length; i++) {
      executor.submit("a", new Recorded(key, i, sizes[i], groups, () -> {}), () -> {});
    }

    release.countDown();

    // 10 + 10 = 20 <= 25, + 10 = 30 > 25; 10 + 40 > 25; 40 alone although > 25; then 5
    await().atMost(Duration.ofSeconds(5)).until(() -> groups.size() == 4);
    assertThat(groups).containsExactly(List.of(0, 1), List.of(2), List.of(3), List.of(4));
    executor.shutdown(Duration.ofSeconds(5));
  }

  @Test
  void workQueuedWhileAGroupRunsJoinsItUntilTheQueueRanDry() throws InterruptedException {
    ShardedExecutor executor =
        new ShardedExecutor(1, 100, "test-worker", new GroupCommitLimits(100, 1_000));
    Object key = new Object();
    List<List<Integer>> groups = new CopyOnWriteArrayList<>();
    AtomicInteger submitted = new AtomicInteger();
    CountDownLatch release = new CountDownLatch(1);
    holdWorker(executor, release);
    // task 0, while it is processed, queues task 1; task 1 queues nothing, so the group closes
    Recorded second = new Recorded(key, 1, 1, groups, submitted::incrementAndGet);
    executor.submit(
        "a",
        new Recorded(key, 0, 1, groups, () -> executor.submit("a", second, () -> {})),
        () -> {});

    release.countDown();

    await().atMost(Duration.ofSeconds(5)).until(() -> groups.size() == 1);
    assertThat(groups).containsExactly(List.of(0, 1));
    assertThat(submitted).hasValue(1);
    executor.shutdown(Duration.ofSeconds(5));
  }

  @Test
  void withoutGroupingEveryTaskRunsAlone() throws InterruptedException {
    ShardedExecutor executor = new ShardedExecutor(1, 100, "test-worker", GroupCommitLimits.NONE);
    Object key = new Object();
    List<List<Integer>> groups = new CopyOnWriteArrayList<>();
    CountDownLatch release = new CountDownLatch(1);
    holdWorker(executor, release);
    for (int i = 0; i < 3; i++) {
      executor.submit("a", new Recorded(key, i, 1, groups, () -> {}), () -> {});
    }

    release.countDown();

    await().atMost(Duration.ofSeconds(5)).until(() -> groups.size() == 3);
    assertThat(groups).containsExactly(List.of(0), List.of(1), List.of(2));
    executor.shutdown(Duration.ofSeconds(5));
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
