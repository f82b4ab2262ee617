package org.labmeter.collector.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
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

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
