package org.labmeter.collector.spool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.labmeter.collector.TestBatches;
import org.labmeter.collector.store.BatchWrite;
import org.labmeter.wire.SignedBatch;

class DiskSpoolTest {
  /**
   * A batch of agent-1 (7 bytes) on nmr-1 (5 bytes) with 2 samples: a 66-byte fixed header + 12 + 2
   * x 26 sample bytes + a 64-byte signature = 194 envelope bytes; its spool record adds an 8-byte
   * header and a 10-byte payload prefix: 212 bytes.
   */
  private static final int RECORD = 212;

  private static final long BIG = 1 << 20;

  @TempDir Path dir;

  private static List<BatchWrite> writes(int count) {
    List<SignedBatch> chain =
        TestBatches.chain(TestBatches.signer(1), "agent-1", "nmr-1", count, 1_700_000_000_000L, 2);
    List<BatchWrite> out = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      out.add(new BatchWrite(chain.get(i), i % 2 == 0, 1_000L * (i + 1)));
    }
    return out;
  }

  private List<Path> segmentFiles() throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(f -> f.toString().endsWith(".spool")).sorted().toList();
    }
  }

  @Test
  void appendsAreReadBackInOrderAndAFullReplayEmptiesTheSpool() throws Exception {
    List<BatchWrite> w = writes(3);
    assertThat(w.get(0).batch().envelopeLength()).isEqualTo(194);
    try (DiskSpool spool = DiskSpool.open(dir, BIG, BIG)) {
      spool.append(w.subList(0, 2));
      spool.append(w.subList(2, 3));

      assertThat(spool.records()).isEqualTo(3);
      assertThat(spool.bytes()).isEqualTo(3 * RECORD);
      assertThat(spool.oldestReceivedAtMillis()).isEqualTo(1_000);

      SpoolSlice slice = spool.peek(10, BIG);
      assertThat(slice.batches()).isEqualTo(w); // envelope, chainOk and receivedAt come back
      assertThat(slice.end()).isEqualTo(new SpoolPosition(0, 3 * RECORD));
      assertThat(spool.records()).isEqualTo(3); // peeking moves nothing

      spool.markDone(slice);

      assertThat(spool.isEmpty()).isTrue();
      assertThat(spool.bytes()).isZero();
      assertThat(spool.oldestReceivedAtMillis()).isEqualTo(-1);
      assertThat(segmentFiles()).isEmpty();
      spool.append(w.subList(0, 1)); // a drained spool starts the next segment
      assertThat(segmentFiles())
          .extracting(p -> p.getFileName().toString())
          .containsExactly("segment-00000000000000000001.spool");
    }
  }

  @Test
  void appendsFromManyThreadsWhileReplayRunsAreReplayedOnceEachInOrder() throws Exception {
    int threads = 6;
    int perThread = 150;
    List<List<BatchWrite>> chains = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      List<SignedBatch> chain =
          TestBatches.chain(
              TestBatches.signer(t + 1),
              "agent-" + t,
              "nmr-" + t,
              perThread,
              1_700_000_000_000L,
              2);
      List<BatchWrite> w = new ArrayList<>();
      for (SignedBatch b : chain) {
        w.add(new BatchWrite(b, true, 1_000L));
      }
      chains.add(w);
    }
    Map<String, List<Long>> replayed = new HashMap<>();
    // small segments, so appends roll and drained segments are deleted while others append
    try (DiskSpool spool = DiskSpool.open(dir, 25L * RECORD, BIG)) {
      spool.reuseDrainedSegment(false);
      CountDownLatch go = new CountDownLatch(1);
      List<Thread> writers = new ArrayList<>();
      List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
      for (List<BatchWrite> chain : chains) {
        Thread w =
            new Thread(
                () -> {
                  try {
                    go.await();
                    for (BatchWrite b : chain) {
                      spool.append(List.of(b));
                    }
                  } catch (Throwable e) {
                    failures.add(e);
                  }
                });
        w.start();
        writers.add(w);
      }
      go.countDown();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      int total = threads * perThread;
      int seen = 0;
      while (seen < total && System.nanoTime() < deadline) {
        SpoolSlice slice = spool.peek(37, BIG);
        for (BatchWrite b : slice.batches()) {
          replayed
              .computeIfAbsent(b.batch().batch().agentId(), a -> new ArrayList<>())
              .add(b.batch().batch().sequence());
        }
        seen += slice.records();
        if (slice.records() > 0) {
          spool.markDone(slice);
        } else {
          Thread.onSpinWait();
        }
      }
      for (Thread w : writers) {
        w.join(10_000);
      }
      assertThat(failures).isEmpty();
      assertThat(spool.isEmpty()).isTrue();
    }
    List<Long> expected = LongStream.range(0, perThread).boxed().toList();
    assertThat(replayed).hasSize(threads);
    replayed.values().forEach(seqs -> assertThat(seqs).isEqualTo(expected));
    try (DiskSpool reopened = DiskSpool.open(dir, 25L * RECORD, BIG)) {
      assertThat(reopened.isEmpty()).isTrue();
      assertThat(reopened.peek(10, BIG).records()).isZero();
    }
  }

  /** Starts {@code append} on its own thread; the future holds its failure, if any. */
  private static CompletableFuture<Void> appendOnThread(DiskSpool spool, List<BatchWrite> w) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    Thread t =
        new Thread(
            () -> {
              try {
                spool.append(w);
                done.complete(null);
              } catch (Throwable e) {
                done.completeExceptionally(e);
              }
            });
    t.start();
    return done;
  }

  private void awaitSegmentBytes(long expected) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (Files.size(segmentFiles().get(0)) < expected && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    assertThat(Files.size(segmentFiles().get(0))).isEqualTo(expected);
  }

  @Test
  void appendsWrittenWhileAnFsyncIsInFlightShareTheNextOne() throws Exception {
    List<BatchWrite> w = writes(4);
    CountDownLatch inSync = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger syncCalls = new AtomicInteger();
    try (DiskSpool spool = DiskSpool.open(dir, BIG, BIG)) {
      spool.beforeSync(
          () -> {
            if (syncCalls.incrementAndGet() == 1) {
              inSync.countDown();
              await(release);
            }
          });
      CompletableFuture<Void> first = appendOnThread(spool, w.subList(0, 1));
      assertThat(inSync.await(10, TimeUnit.SECONDS)).isTrue();
      List<CompletableFuture<Void>> behind = new ArrayList<>();
      for (int i = 1; i < 4; i++) {
        behind.add(appendOnThread(spool, w.subList(i, i + 1)));
      }
      awaitSegmentBytes(4 * RECORD); // all three written while the first fsync is held
      assertThat(spool.records()).isZero(); // none counted before its fsync
      release.countDown();

      first.get(10, TimeUnit.SECONDS);
      for (CompletableFuture<Void> f : behind) {
        f.get(10, TimeUnit.SECONDS);
      }
      // the held fsync covered the first append; the three behind it shared one more
      assertThat(spool.syncs()).isEqualTo(2);
      assertThat(syncCalls).hasValue(2);
      assertThat(spool.records()).isEqualTo(4);
      assertThat(spool.bytes()).isEqualTo(4 * RECORD);
      assertThat(spool.peek(10, BIG).batches()).containsExactlyInAnyOrderElementsOf(w);
    }
  }

  @Test
  void aFailedFsyncFailsEveryAppendWaitingForItAndCutsTheSpoolBack() throws Exception {
    List<BatchWrite> w = writes(5);
    CountDownLatch inSync = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    try (DiskSpool spool = DiskSpool.open(dir, BIG, BIG)) {
      spool.append(w.subList(0, 1));
      spool.beforeSync(
          () -> {
            inSync.countDown();
            await(release);
            throw new IOException("device gone");
          });
      CompletableFuture<Void> first = appendOnThread(spool, w.subList(1, 2));
      assertThat(inSync.await(10, TimeUnit.SECONDS)).isTrue();
      CompletableFuture<Void> second = appendOnThread(spool, w.subList(2, 4));
      awaitSegmentBytes(4 * RECORD);
      release.countDown();

      for (CompletableFuture<Void> f : List.of(first, second)) {
        assertThatThrownBy(() -> f.get(10, TimeUnit.SECONDS))
            .hasCauseInstanceOf(IOException.class)
            .hasMessageContaining("device gone");
      }
      assertThat(spool.records()).isEqualTo(1);
      assertThat(Files.size(segmentFiles().get(0))).isEqualTo(RECORD); // cut back

      spool.beforeSync(() -> {});
      spool.append(w.subList(4, 5)); // the spool is usable again
      assertThat(spool.peek(10, BIG).batches()).containsExactly(w.get(0), w.get(4));
    }
    try (DiskSpool reopened = DiskSpool.open(dir, BIG, BIG)) {
      assertThat(reopened.tornRecordsAtOpen()).isZero();
      assertThat(reopened.peek(10, BIG).batches()).containsExactly(w.get(0), w.get(4));
    }
  }

  @Test
  void anFsyncThatThrowsUncheckedFailsItsAppendAndLeavesTheSpoolUsable() throws Exception {
    List<BatchWrite> w = writes(2);
    try (DiskSpool spool = DiskSpool.open(dir, BIG, BIG)) {
      spool.beforeSync(
          () -> {
            throw new IllegalStateException("bug in a sync hook");
          });
      assertThatThrownBy(() -> spool.append(w.subList(0, 1)))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("bug in a sync hook");
      assertThat(spool.records()).isZero();

      spool.beforeSync(() -> {});
      CompletableFuture<Void> next = appendOnThread(spool, w.subList(1, 2));
      next.get(10, TimeUnit.SECONDS); // not left waiting for an fsync that never ends
      assertThat(spool.peek(10, BIG).batches()).containsExactly(w.get(1));
    }
  }

  private static void await(CountDownLatch latch) throws IOException {
    try {
      if (!latch.await(10, TimeUnit.SECONDS)) {
        throw new IOException("test latch not released");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  }

  @Test
  void aDrainedSpoolThatReusesItsSegmentKeepsAppendingToTheSameFileAndRecoversAfterIt()
      throws Exception {
    List<BatchWrite> w = writes(4);
    try (DiskSpool spool = DiskSpool.open(dir, BIG, BIG)) {
      spool.reuseDrainedSegment(true);
      spool.append(w.subList(0, 2));
      spool.markDone(spool.peek(10, BIG));
      assertThat(spool.isEmpty()).isTrue();
      assertThat(spool.oldestReceivedAtMillis()).isEqualTo(-1);

      spool.append(w.subList(2, 3)); // same file, after the replayed records
      assertThat(segmentFiles())
          .extracting(p -> p.getFileName().toString())
          .containsExactly("segment-00000000000000000000.spool");
      SpoolSlice slice = spool.peek(10, BIG);
      assertThat(slice.batches()).isEqualTo(w.subList(2, 3));
      assertThat(slice.end()).isEqualTo(new SpoolPosition(0, 3 * RECORD));
    }
    // the replay position stays inside the file: a restart replays only the record after it
    try (DiskSpool reopened = DiskSpool.open(dir, BIG, BIG)) {
      assertThat(reopened.records()).isEqualTo(1);
      assertThat(reopened.peek(10, BIG).batches()).isEqualTo(w.subList(2, 3));
      reopened.append(w.subList(3, 4));
      assertThat(reopened.peek(10, BIG).batches()).isEqualTo(w.subList(2, 4));
    }
  }

  @Test
  void aReplayGroupKeepsToItsLimitsButAlwaysTakesOneRecord() throws Exception {
    try (DiskSpool spool = DiskSpool.open(dir, BIG, BIG)) {
      spool.append(writes(3));

      assertThat(spool.peek(2, BIG).records()).isEqualTo(2);
      assertThat(spool.peek(10, 300).records()).isEqualTo(1); // 212 + 212 > 300
      assertThat(spool.peek(10, 100).records()).isEqualTo(1); // 212 > 100, but never none
      assertThat(spool.peek(10, 2 * RECORD).bytes()).isEqualTo(2 * RECORD);
    }
  }

  @Test
  void aReplayReadOfMoreThanOneChunkReturnsEveryRecordAcrossTheChunkBoundaries() throws Exception {
    int count = 12_000; // 2.5 MB of records in one segment: the replay reads it in 1 MiB chunks
    List<BatchWrite> w = writes(count);
    try (DiskSpool spool = DiskSpool.open(dir, 16L << 20, 64L << 20)) {
      for (int i = 0; i < count; i += 1_000) {
        spool.append(w.subList(i, i + 1_000));
      }
      SpoolSlice first = spool.peek(7, 64L << 20); // a small read first, so chunks start unaligned
      spool.markDone(first);
      SpoolSlice rest = spool.peek(count, 64L << 20);

      assertThat(rest.batches()).isEqualTo(w.subList(7, count));
      assertThat(rest.end()).isEqualTo(new SpoolPosition(0, (long) count * RECORD));
      spool.markDone(rest);
      assertThat(spool.isEmpty()).isTrue();
    }
  }

  @Test
  void segmentsRollAndAreDeletedOnceReplayed() throws Exception {
    List<BatchWrite> w = writes(5);
    // 400-byte segments close after two records (424 >= 400): [0,1] [2,3] [4]
    try (DiskSpool spool = DiskSpool.open(dir, 400, BIG)) {
      spool.append(w);
      assertThat(segmentFiles()).hasSize(3);

      SpoolSlice first = spool.peek(3, BIG);
      assertThat(first.end()).isEqualTo(new SpoolPosition(1, RECORD));
      spool.markDone(first);

      assertThat(segmentFiles()).hasSize(2); // segment 0 is gone, 1 still holds record 3
      assertThat(spool.records()).isEqualTo(2);
      assertThat(spool.oldestReceivedAtMillis()).isEqualTo(4_000);
      assertThat(spool.peek(10, BIG).batches()).isEqualTo(w.subList(3, 5));
    }
  }

  @Test
  void reopeningContinuesWhereReplayStopped() throws Exception {
    List<BatchWrite> w = writes(3);
    try (DiskSpool spool = DiskSpool.open(dir, BIG, BIG)) {
      spool.append(w);
      spool.markDone(spool.peek(1, BIG));
    }

    try (DiskSpool spool = DiskSpool.open(dir, BIG, BIG)) {
      assertThat(spool.records()).isEqualTo(2);
      assertThat(spool.bytes()).isEqualTo(2 * RECORD);
      assertThat(spool.oldestReceivedAtMillis()).isEqualTo(2_000);
      assertThat(spool.tornRecordsAtOpen()).isZero();
      spool.append(writes(1));
      assertThat(spool.peek(10, BIG).batches())
          .containsExactly(w.get(1), w.get(2), writes(1).get(0));
    }
  }

  @Test
  void aRecordCutShortByACrashIsTruncatedAndCounted() throws Exception {
    List<BatchWrite> w = writes(2);
    try (DiskSpool spool = DiskSpool.open(dir, BIG, BIG)) {
      spool.append(w);
    }
    Path segment = segmentFiles().get(0);
    try (FileChannel ch = FileChannel.open(segment, StandardOpenOption.WRITE)) {
      ch.truncate(2 * RECORD - 5); // the second record lost its last 5 bytes
    }

    try (DiskSpool spool = DiskSpool.open(dir, BIG, BIG)) {
      assertThat(spool.tornRecordsAtOpen()).isEqualTo(1);
      assertThat(spool.records()).isEqualTo(1);
      assertThat(Files.size(segment)).isEqualTo(RECORD);
      spool.append(w.subList(1, 2)); // appends go after the last good record
      assertThat(spool.peek(10, BIG).batches()).isEqualTo(w);
    }
  }

  @Test
  void aRecordWhosePayloadFailsItsCrcIsTruncated() throws Exception {
    try (DiskSpool spool = DiskSpool.open(dir, BIG, BIG)) {
      spool.append(writes(2));
    }
    Path segment = segmentFiles().get(0);
    try (FileChannel ch =
        FileChannel.open(segment, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      // a byte of the second record's envelope: as if the crash left old disk content there
      ch.write(ByteBuffer.wrap(new byte[] {(byte) 0xEE}), RECORD + 8 + 10 + 100);
    }

    try (DiskSpool spool = DiskSpool.open(dir, BIG, BIG)) {
      assertThat(spool.tornRecordsAtOpen()).isEqualTo(1);
      assertThat(spool.records()).isEqualTo(1);
      assertThat(Files.size(segment)).isEqualTo(RECORD);
    }
  }

  @Test
  void theBoundRefusesAWholeAppend() throws Exception {
    try (DiskSpool spool = DiskSpool.open(dir, BIG, 500)) {
      spool.append(writes(2)); // 424 bytes

      assertThatThrownBy(() -> spool.append(writes(1))) // 424 + 212 > 500
          .isInstanceOf(SpoolFullException.class)
          .hasMessageContaining("424 bytes waiting");
      assertThat(spool.records()).isEqualTo(2);
      assertThat(Files.size(segmentFiles().get(0))).isEqualTo(2 * RECORD);
    }
  }

  @Test
  void aDamagedReplayPositionReplaysFromTheOldestSegment() throws Exception {
    try (DiskSpool spool = DiskSpool.open(dir, BIG, BIG)) {
      spool.append(writes(3));
      spool.markDone(spool.peek(1, BIG));
    }
    Files.write(dir.resolve(DiskSpool.DONE_FILE), new byte[20]); // zeros: the CRC does not match

    try (DiskSpool spool = DiskSpool.open(dir, BIG, BIG)) {
      // the replayed first batch comes again; the store's dedup keys make it land once
      assertThat(spool.records()).isEqualTo(3);
    }
  }
}
