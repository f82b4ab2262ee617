package org.labmeter.collector.spool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.labmeter.collector.TestBatches;
import org.labmeter.collector.ingest.GroupCommitLimits;
import org.labmeter.collector.store.BatchStore;
import org.labmeter.collector.store.BatchWrite;
import org.labmeter.collector.store.StoreWriteException;
import org.labmeter.wire.SignedBatch;

class SpoolingBatchStoreTest {
  private static final int RECORD = 212; // see DiskSpoolTest

  @TempDir Path dir;
  private final SwitchableStore store = new SwitchableStore();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final List<SpoolingBatchStore> opened = new ArrayList<>();

  /** The real store's contract, switched up and down by the test. */
  private static final class SwitchableStore implements BatchStore {
    final List<Long> stored = Collections.synchronizedList(new ArrayList<>());
    final AtomicInteger calls = new AtomicInteger();
    volatile boolean up = true;

    @Override
    public void write(List<BatchWrite> batches) throws StoreWriteException {
      if (!up) {
        throw new StoreWriteException("connection refused", null);
      }
      calls.incrementAndGet();
      for (BatchWrite b : batches) {
        stored.add(b.batch().batch().sequence());
      }
    }
  }

  private static List<BatchWrite> writes(int from, int count) {
    List<SignedBatch> chain =
        TestBatches.chain(
            TestBatches.signer(1), "agent-1", "nmr-1", from + count, 1_700_000_000_000L, 2);
    List<BatchWrite> out = new ArrayList<>();
    for (int i = from; i < from + count; i++) {
      out.add(new BatchWrite(chain.get(i), true, System.currentTimeMillis()));
    }
    return out;
  }

  private SpoolingBatchStore open(long maxBytes, long backpressureBytes, long unhealthyBytes)
      throws Exception {
    return open(maxBytes, backpressureBytes, Duration.ofSeconds(30), unhealthyBytes);
  }

  private SpoolingBatchStore open(
      long maxBytes, long backpressureBytes, Duration maxWait, long unhealthyBytes)
      throws Exception {
    return open(maxBytes, backpressureBytes, maxWait, unhealthyBytes, false);
  }

  private SpoolingBatchStore open(
      long maxBytes,
      long backpressureBytes,
      Duration maxWait,
      long unhealthyBytes,
      boolean writeBehind)
      throws Exception {
    SpoolingBatchStore s =
        SpoolingBatchStore.open(
            store,
            new SpoolSettings(
                dir,
                maxBytes,
                1 << 20,
                backpressureBytes,
                maxWait,
                unhealthyBytes,
                Duration.ofMillis(200),
                GroupCommitLimits.DEFAULT,
                writeBehind,
                0),
            registry);
    opened.add(s);
    s.start().join();
    return s;
  }

  private double counter(String name) {
    return registry.get(name).counter().count();
  }

  @AfterEach
  void closeAll() {
    opened.forEach(SpoolingBatchStore::close);
  }

  @Test
  void whileTheStoreIsUpNothingIsSpooled() throws Exception {
    SpoolingBatchStore spooling = open(1 << 20, 1 << 20, 1 << 20);

    spooling.write(writes(0, 2));

    assertThat(store.stored).containsExactly(0L, 1L);
    assertThat(spooling.depthRecords()).isZero();
    assertThat(counter("collector.spool.appended")).isZero();
  }

  @Test
  void whileTheStoreIsDownGroupsAreSpooledThenReplayedInArrivalOrder() throws Exception {
    SpoolingBatchStore spooling = open(1 << 20, 1 << 20, 1 << 20);
    store.up = false;

    spooling.write(writes(0, 2)); // returns: the caller may acknowledge
    spooling.write(writes(2, 1));

    assertThat(spooling.depthRecords()).isEqualTo(3);
    assertThat(spooling.depthBytes()).isEqualTo(3 * RECORD);
    assertThat(registry.get("collector.spool.records").gauge().value()).isEqualTo(3);
    assertThat(store.stored).isEmpty();

    store.up = true;
    spooling.write(writes(3, 1)); // behind the spooled ones, whether replay has begun or not

    // the replayer counts a group just after marking it done: wait for both
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> spooling.depthRecords() == 0 && counter("collector.spool.replayed") >= 3);
    assertThat(store.stored).containsExactly(0L, 1L, 2L, 3L);
    assertThat(counter("collector.spool.replayed")).isGreaterThanOrEqualTo(3);
    assertThat(counter("collector.spool.store.errors")).isGreaterThanOrEqualTo(1);
    spooling.write(writes(4, 1)); // drained: straight to the store again
    assertThat(store.stored).endsWith(4L);
  }

  @Test
  void atTheBoundAGroupIsRefusedAndNotAcknowledged() throws Exception {
    // back-pressure from 1 record on, for at most 200 ms per write
    SpoolingBatchStore spooling = open(2 * RECORD, RECORD, Duration.ofMillis(200), 2 * RECORD);
    store.up = false;
    spooling.write(writes(0, 1));
    spooling.write(writes(1, 1)); // waited 200 ms, then fitted

    assertThatThrownBy(() -> spooling.write(writes(2, 1)))
        .isInstanceOf(StoreWriteException.class)
        .hasMessageContaining("spool full");
    assertThat(counter("collector.spool.refused")).isEqualTo(1);
    assertThat(counter("collector.spool.backpressure.waits")).isEqualTo(2);
    assertThat(spooling.depthRecords()).isEqualTo(2);
  }

  @Test
  void pastTheBackpressureMarkAWriteWaitsForReplayToMakeRoom() throws Exception {
    SpoolingBatchStore spooling = open(1 << 20, RECORD, 1 << 20);
    store.up = false;
    spooling.write(writes(0, 1)); // 212 bytes: at the mark

    CompletableFuture<Void> held =
        CompletableFuture.runAsync(
            () -> {
              try {
                spooling.write(writes(1, 1));
              } catch (StoreWriteException e) {
                throw new IllegalStateException(e);
              }
            });

    await()
        .during(Duration.ofMillis(500))
        .atMost(Duration.ofSeconds(2))
        .until(() -> !held.isDone());
    assertThat(counter("collector.spool.backpressure.waits")).isEqualTo(1);
    store.up = true;
    held.get(10, java.util.concurrent.TimeUnit.SECONDS);
    await().atMost(Duration.ofSeconds(10)).until(() -> spooling.depthRecords() == 0);
    assertThat(store.stored).containsExactly(0L, 1L);
  }

  @Test
  void stopWaitingForRoomLetsAHeldWriteThrough() throws Exception {
    SpoolingBatchStore spooling = open(1 << 20, RECORD, 1 << 20);
    store.up = false;
    spooling.write(writes(0, 1));
    CompletableFuture<Void> held =
        CompletableFuture.runAsync(
            () -> {
              try {
                spooling.write(writes(1, 1));
              } catch (StoreWriteException e) {
                throw new IllegalStateException(e);
              }
            });
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> counter("collector.spool.backpressure.waits") == 1);

    spooling.stopWaitingForRoom();

    held.get(10, java.util.concurrent.TimeUnit.SECONDS);
    assertThat(spooling.depthRecords()).isEqualTo(2);
  }

  @Test
  void healthTurnsFalseAtTheUnhealthyMark() throws Exception {
    SpoolingBatchStore spooling = open(1 << 20, 1 << 20, 2 * RECORD);
    store.up = false;
    spooling.write(writes(0, 1));
    assertThat(spooling.healthy()).isTrue(); // 212 < 424
    spooling.write(writes(1, 1));
    assertThat(spooling.healthy()).isFalse(); // 424

    store.up = true;
    await().atMost(Duration.ofSeconds(10)).until(spooling::healthy);
  }

  @Test
  void whatARunLeftInTheSpoolIsReplayedOnTheNextStart() throws Exception {
    SpoolingBatchStore first = open(1 << 20, 1 << 20, 1 << 20);
    store.up = false;
    first.write(writes(0, 3));
    first.close();
    assertThat(store.stored).isEmpty();

    store.up = true;
    SpoolingBatchStore second = open(1 << 20, 1 << 20, 1 << 20);

    await().atMost(Duration.ofSeconds(10)).until(() -> second.depthRecords() == 0);
    assertThat(store.stored).containsExactly(0L, 1L, 2L);
  }

  @Test
  void writeBehindAcknowledgesOnceSpooledAndTheReplayWritesEachBatchOnceInOrder() throws Exception {
    // the store is down: with write-behind a write still returns (fsync'd in the spool) and nothing
    // has been tried against the store on the caller's thread
    store.up = false;
    SpoolingBatchStore spooling = open(1 << 20, 1 << 20, Duration.ofSeconds(30), 1 << 20, true);

    spooling.write(writes(0, 2));
    spooling.write(writes(2, 3));
    assertThat(counter("collector.spool.appended")).isEqualTo(5);

    store.up = true;
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> spooling.depthRecords() == 0 && counter("collector.spool.replayed") >= 5);
    assertThat(store.stored).containsExactly(0L, 1L, 2L, 3L, 4L);

    // with the store up and the spool empty, a write still goes through the spool, never direct
    spooling.write(writes(5, 1));
    assertThat(counter("collector.spool.appended")).isEqualTo(6);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> spooling.depthRecords() == 0 && counter("collector.spool.replayed") >= 6);
    assertThat(store.stored).containsExactly(0L, 1L, 2L, 3L, 4L, 5L);
  }

  @Test
  void writeBehindGathersSmallGroupsIntoFewStoreWrites() throws Exception {
    SpoolingBatchStore spooling = open(1 << 20, 1 << 20, Duration.ofSeconds(30), 1 << 20, true);

    // one group, written at once; then five more while the replay lingers after it
    spooling.write(writes(0, 1));
    await()
        .pollDelay(Duration.ZERO)
        .pollInterval(Duration.ofMillis(2))
        .atMost(Duration.ofSeconds(10))
        .until(() -> store.stored.size() == 1);
    for (int i = 1; i < 6; i++) {
      spooling.write(writes(i, 1));
    }
    await()
        .pollInterval(Duration.ofMillis(5))
        .during(Duration.ofMillis(50))
        .atMost(Duration.ofSeconds(1))
        .until(() -> store.stored.size() == 1);

    await().atMost(Duration.ofSeconds(10)).until(() -> store.stored.size() == 6);
    assertThat(store.stored).containsExactly(0L, 1L, 2L, 3L, 4L, 5L);
    // the first group at once, the rest after the linger; without it, one write per group
    assertThat(SpoolReplayer.WRITE_BEHIND_LINGER).isGreaterThan(Duration.ofMillis(150));
    assertThat(store.calls.get()).isBetween(1, 3);
  }

  @Test
  void writeBehindKeepsWhatWasAcknowledgedAcrossARestart() throws Exception {
    store.up = false;
    SpoolingBatchStore first = open(1 << 20, 1 << 20, Duration.ofSeconds(30), 1 << 20, true);
    first.write(writes(0, 4));
    first.close();
    assertThat(store.stored).isEmpty();

    store.up = true;
    SpoolingBatchStore second = open(1 << 20, 1 << 20, Duration.ofSeconds(30), 1 << 20, true);
    await().atMost(Duration.ofSeconds(10)).until(() -> second.depthRecords() == 0);
    assertThat(store.stored).containsExactly(0L, 1L, 2L, 3L);
  }

  @Test
  void aReplayRateLimitPacesTheDrainAndKeepsItsOrder() throws Exception {
    store.up = false;
    SpoolingBatchStore spooling =
        SpoolingBatchStore.open(
            store,
            new SpoolSettings(
                dir,
                1 << 20,
                1 << 20,
                1 << 20,
                Duration.ofSeconds(30),
                1 << 20,
                Duration.ofMillis(200),
                new GroupCommitLimits(10, 1 << 20),
                false,
                100), // 100 batches/s: five groups of 10 take at least 0.4 s after the first
            registry);
    opened.add(spooling);
    spooling.start().join();
    spooling.write(writes(0, 50));

    long began = System.nanoTime();
    store.up = true;
    await().atMost(Duration.ofSeconds(10)).until(() -> spooling.depthRecords() == 0);
    long tookMillis = (System.nanoTime() - began) / 1_000_000;

    assertThat(tookMillis).isGreaterThanOrEqualTo(380);
    List<Long> expected = new ArrayList<>();
    for (long i = 0; i < 50; i++) {
      expected.add(i);
    }
    assertThat(store.stored).containsExactlyElementsOf(expected);
  }
}
