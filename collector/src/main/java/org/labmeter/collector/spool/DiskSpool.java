package org.labmeter.collector.spool;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeMap;
import org.labmeter.collector.store.BatchWrite;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Append-only segment files of {@link SpoolRecords} plus the position up to which they have been
 * replayed ({@value #DONE_FILE}: segment, offset and their CRC32C, rewritten and fsync'd after each
 * replayed group). An append is fsync'd before it returns; a segment whose records are all replayed
 * is deleted. Opening the spool again continues where replay stopped; a record cut short by a crash
 * fails its length or CRC check and is truncated away.
 *
 * <p>If the replay position is lost or damaged, replay starts again at the oldest segment: the
 * store's dedup keys make a batch written twice land once. Thread-safe; every method blocks on
 * disk.
 */
public final class DiskSpool implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DiskSpool.class);
  static final String DONE_FILE = ReplayPositionFile.NAME;

  private final Path dir;
  private final long maxBytes;
  private final ReplayPositionFile replayed;
  private final UnsyncedAppends unsynced = new UnsyncedAppends();
  private SegmentFiles files;
  private int tornAtOpen;
  private SpoolPosition done;
  private boolean broken;
  private boolean reuseDrainedSegment;
  private boolean closed;

  /** Where the records on disk end: what a failed write or fsync cuts the segments back to. */
  private long syncedSegment = -1;

  private long syncedLength;
  private boolean syncing;
  private IoAction beforeSync = () -> {};
  private volatile long syncs;
  private volatile long records;
  private volatile long bytes;
  private volatile long oldestReceivedAt = -1;

  private DiskSpool(Path dir, long segmentBytes, long maxBytes) throws IOException {
    this.dir = dir;
    this.maxBytes = maxBytes;
    Files.createDirectories(dir);
    this.replayed = new ReplayPositionFile(dir);
    if (replayed.created()) {
      SegmentFiles.syncDirectory(dir);
    }
    try {
      SegmentFiles.Recovered r = SegmentFiles.open(dir, segmentBytes, replayed.read());
      files = r.files();
      done = r.mark();
      records = r.records();
      bytes = r.bytes();
      oldestReceivedAt = r.firstReceivedAt();
      tornAtOpen = r.torn();
      syncedSegment = files.activeId();
      syncedLength = syncedSegment < 0 ? 0 : files.length(syncedSegment);
    } catch (IOException | RuntimeException e) {
      close();
      throw e;
    }
    if (records > 0) {
      LOG.info(
          "Spool {} reopened with {} batches ({} bytes) waiting for replay", dir, records, bytes);
    }
  }

  /**
   * Opens (creating it if needed) the spool in {@code dir} and recovers it.
   *
   * @param segmentBytes a segment is closed once it holds this much
   * @param maxBytes most bytes of records waiting for replay
   */
  public static DiskSpool open(Path dir, long segmentBytes, long maxBytes) throws IOException {
    return new DiskSpool(dir, segmentBytes, maxBytes);
  }

  /** Records waiting for replay. */
  public long records() {
    return records;
  }

  /** Bytes on disk of the records waiting for replay. */
  public long bytes() {
    return bytes;
  }

  public boolean isEmpty() {
    return records == 0;
  }

  /** When the oldest waiting batch was received, or -1 when none waits. */
  public long oldestReceivedAtMillis() {
    return oldestReceivedAt;
  }

  /** Records cut short by a crash that opening the spool truncated. */
  public int tornRecordsAtOpen() {
    return tornAtOpen;
  }

  public Path directory() {
    return dir;
  }

  /** fsyncs taken by appends since the spool was opened. */
  public long syncs() {
    return syncs;
  }

  /**
   * With {@code true}, a drained spool keeps its active segment file (until it is full) instead of
   * starting a new one at the next append; for write-behind, where it drains continually.
   */
  public synchronized void reuseDrainedSegment(boolean value) {
    this.reuseDrainedSegment = value;
  }

  /** Segment files on disk, for tests and operators. */
  public synchronized int segmentCount() {
    return files.count();
  }

  /** Runs {@code action} before each append's fsync; a test's way to hold one or make it fail. */
  synchronized void beforeSync(IoAction action) {
    this.beforeSync = action;
  }

  /**
   * Appends one record per write, in order, and returns once they are fsync'd. Appends of several
   * threads share fsyncs: the first thread to need one syncs everything written so far, outside the
   * lock, while the others write theirs and wait for it or for the next. All or nothing: if a write
   * or an fsync fails, every append not yet on disk fails and the segments are cut back to where
   * the records on disk end.
   *
   * @throws SpoolFullException when the records would take the spool past {@code maxBytes}
   */
  public void append(List<BatchWrite> writes) throws IOException, SpoolFullException {
    if (writes.isEmpty()) {
      return;
    }
    UnsyncedAppends.Append mine;
    synchronized (this) {
      checkUsable();
      long total = 0;
      for (BatchWrite w : writes) {
        total += SpoolRecords.frameBytes(w);
      }
      if (bytes + unsynced.bytes() + total > maxBytes) {
        throw new SpoolFullException(bytes + unsynced.bytes(), total, maxBytes);
      }
      try {
        files.append(writes);
      } catch (IOException e) {
        failUnsynced(e);
        throw e;
      }
      if (!syncing) {
        files.closeRetired();
      }
      mine = unsynced.add(writes.size(), total, writes.get(0).receivedAtMillis());
    }
    awaitSync(mine);
  }

  /** Returns once {@code mine} is on disk, taking the fsync itself when no other thread is. */
  private void awaitSync(UnsyncedAppends.Append mine) throws IOException {
    while (true) {
      FileChannel channel;
      UnsyncedAppends.Append last;
      long segment;
      long length;
      synchronized (this) {
        while (syncing && !mine.settled()) {
          try {
            wait();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted waiting for the spool's fsync");
          }
        }
        if (mine.settled()) {
          mine.throwIfFailed();
          return;
        }
        checkUsable();
        syncing = true;
        last = unsynced.newest();
        channel = files.active();
        segment = files.activeId();
        length = files.length(segment);
      }
      IOException failure = null;
      try {
        beforeSync.run();
        channel.force(false);
      } catch (IOException e) {
        failure = e;
      } catch (RuntimeException e) {
        failure = new IOException("fsync failed: " + e, e); // never leave the others waiting
      }
      synchronized (this) {
        syncing = false;
        syncs++;
        files.closeRetired();
        if (failure == null) {
          syncedSegment = segment;
          syncedLength = length;
          unsynced.syncedUpTo(last, this::counted);
        } else {
          LOG.error("fsync of spool {} failed; the appends waiting for it fail", dir, failure);
          failUnsynced(failure);
        }
        notifyAll();
      }
    }
  }

  /** Adds an append that reached the disk to what waits for replay. */
  private void counted(int count, long size, long firstReceivedAt) {
    if (records == 0) {
      oldestReceivedAt = firstReceivedAt;
    }
    records += count;
    bytes += size;
  }

  /**
   * After a failed write or fsync: waits for an fsync in flight (what it covers stays), then cuts
   * the segments back to the end of what is on disk and fails every append written after it.
   */
  private void failUnsynced(IOException cause) {
    while (syncing) {
      try {
        wait();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    if (!closed) {
      try {
        files.cutBack(syncedSegment, syncedLength);
      } catch (IOException e) {
        broken = true;
        LOG.error("Spool {} could not be cut back after a failed append; refusing appends", dir, e);
      }
    }
    unsynced.failAll(cause);
    notifyAll();
  }

  /**
   * Reads the oldest waiting records, at most {@code maxRecords} and, unless it is the first,
   * {@code maxBytes} of records. Does not move the replay position.
   */
  public SpoolSlice peek(int maxRecords, long maxBytes) throws IOException {
    // Read outside the lock, so that appends (the workers' fsyncs) do not wait for a replay read:
    // what lies between the replay position and the records on disk never changes, and only
    // markDone, called by the same reader, moves the position or deletes segments.
    SpoolPosition from;
    long committed;
    TreeMap<Long, Long> lengths;
    synchronized (this) {
      checkUsable();
      from = done;
      committed = records;
      lengths = files.lengths();
    }
    return files.read(lengths, from, committed, maxRecords, maxBytes);
  }

  /**
   * Records that everything up to {@code slice.end()} is in the store: the position is fsync'd,
   * then segments left wholly behind are deleted.
   */
  public synchronized void markDone(SpoolSlice slice) throws IOException {
    checkUsable();
    long leftRecords = records - slice.records();
    SpoolPosition next = slice.end();
    while (true) {
      Long length = files.length(next.segment());
      Long following = files.after(next.segment());
      if (following != null && (length == null || next.offset() >= length)) {
        next = new SpoolPosition(following, 0);
      } else {
        break;
      }
    }
    // records written but not yet fsync'd lie right after the replayed ones: stay in front of them
    boolean drained = leftRecords <= 0 && unsynced.records() == 0;
    long active = files.activeId();
    if (drained && reuseDrainedSegment && active >= 0) {
      // write-behind drains the spool many times a second: keep appending to the same file
      // rather than creating (and fsyncing the directory for) a new one each time
      next = new SpoolPosition(active, files.length(active));
    } else if (drained) {
      next = new SpoolPosition(files.reserveNext(next.segment() + 1), 0);
    }
    replayed.write(next);
    done = next;
    records = Math.max(0, leftRecords);
    bytes = records == 0 ? 0 : Math.max(0, bytes - slice.bytes());
    files.deleteBefore(next.segment());
    if (syncedSegment >= 0 && syncedSegment < next.segment()) {
      syncedSegment = -1; // deleted with the segments before the position
      syncedLength = 0;
    }
    oldestReceivedAt = records == 0 ? -1 : files.receivedAt(done);
  }

  @Override
  public synchronized void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    try {
      if (files != null) {
        files.close();
      }
    } finally {
      replayed.close();
    }
  }

  private void checkUsable() throws IOException {
    if (closed) {
      throw new IOException("spool " + dir + " is closed");
    }
    if (broken) {
      throw new IOException("spool " + dir + " is unusable after a failed append");
    }
  }
}
