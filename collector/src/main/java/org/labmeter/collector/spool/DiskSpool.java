package org.labmeter.collector.spool;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
  private static final Pattern SEGMENT = Pattern.compile("segment-(\\d{20})\\.spool");

  private final Path dir;
  private final long segmentBytes;
  private final long maxBytes;

  /** Segment number to the bytes of complete records in it. */
  private final TreeMap<Long, Long> segments = new TreeMap<>();

  private final ReplayPositionFile replayed;
  private final int tornAtOpen;
  private FileChannel active;
  private long activeSegment = -1;
  private long nextSegment;
  private SpoolPosition done;
  private boolean broken;
  private boolean reuseDrainedSegment;
  private boolean closed;
  private volatile long records;
  private volatile long bytes;
  private volatile long oldestReceivedAt = -1;

  private DiskSpool(Path dir, long segmentBytes, long maxBytes) throws IOException {
    this.dir = dir;
    this.segmentBytes = segmentBytes;
    this.maxBytes = maxBytes;
    Files.createDirectories(dir);
    this.replayed = new ReplayPositionFile(dir);
    if (replayed.created()) {
      syncDirectory();
    }
    try {
      this.tornAtOpen = recover();
    } catch (IOException | RuntimeException e) {
      close();
      throw e;
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

  /**
   * With {@code true}, a drained spool keeps its active segment file (until it is full) instead of
   * starting a new one at the next append; for write-behind, where it drains continually.
   */
  public synchronized void reuseDrainedSegment(boolean value) {
    this.reuseDrainedSegment = value;
  }

  /** Segment files on disk, for tests and operators. */
  public synchronized int segmentCount() {
    return segments.size();
  }

  /**
   * Appends one record per write, in order, and fsyncs before returning. All or nothing: on failure
   * the segments are cut back to where they were.
   *
   * @throws SpoolFullException when the records would take the spool past {@code maxBytes}
   */
  public synchronized void append(List<BatchWrite> writes) throws IOException, SpoolFullException {
    checkUsable();
    long total = 0;
    for (BatchWrite w : writes) {
      total += SpoolRecords.frameBytes(w);
    }
    if (bytes + total > maxBytes) {
      throw new SpoolFullException(bytes, total, maxBytes);
    }
    long startSegment = activeSegment;
    long startLength = active == null ? 0 : segments.get(activeSegment);
    try {
      for (BatchWrite w : writes) {
        if (active == null || segments.get(activeSegment) >= segmentBytes) {
          roll();
        }
        ByteBuffer frame = SpoolRecords.encode(w);
        int length = frame.remaining();
        while (frame.hasRemaining()) {
          active.write(frame);
        }
        segments.merge(activeSegment, (long) length, Long::sum);
      }
      if (active != null) {
        active.force(false);
      }
    } catch (IOException e) {
      rollBack(startSegment, startLength);
      throw e;
    }
    if (records == 0 && !writes.isEmpty()) {
      oldestReceivedAt = writes.get(0).receivedAtMillis();
    }
    records += writes.size();
    bytes += total;
  }

  /**
   * Reads the oldest waiting records, at most {@code maxRecords} and, unless it is the first,
   * {@code maxBytes} of records. Does not move the replay position.
   */
  public SpoolSlice peek(int maxRecords, long maxBytes) throws IOException {
    // Read outside the lock, so that appends (the workers' fsyncs) do not wait for a replay read:
    // what lies between the replay position and the committed records never changes, and only
    // markDone, called by the same reader, moves the position or deletes segments.
    SpoolPosition pos;
    long committed;
    TreeMap<Long, Long> segments;
    synchronized (this) {
      checkUsable();
      pos = done;
      committed = records;
      segments = new TreeMap<>(this.segments);
    }
    List<BatchWrite> out = new ArrayList<>();
    int n = 0;
    long size = 0;
    Map<Long, FileChannel> open = new TreeMap<>();
    try {
      while (n < maxRecords && n < committed) {
        Long length = segments.get(pos.segment());
        if (length == null || pos.offset() >= length) {
          Long next = segments.higherKey(pos.segment());
          if (next == null) {
            break;
          }
          pos = new SpoolPosition(next, 0);
          continue;
        }
        FileChannel ch = open.get(pos.segment());
        if (ch == null) {
          ch = FileChannel.open(segmentPath(pos.segment()), StandardOpenOption.READ);
          open.put(pos.segment(), ch);
        }
        ByteBuffer header = SpoolRecords.readAt(ch, pos.offset(), SpoolRecords.HEADER_BYTES);
        int payloadLength = header.getInt(0);
        long frame = SpoolRecords.HEADER_BYTES + (long) payloadLength;
        if (!SpoolRecords.plausibleLength(payloadLength) || pos.offset() + frame > length) {
          throw new IOException("spool record at " + describe(pos) + " has a bad length");
        }
        if (n > 0 && size + frame > maxBytes) {
          break;
        }
        ByteBuffer payload =
            SpoolRecords.readAt(ch, pos.offset() + SpoolRecords.HEADER_BYTES, payloadLength);
        if (SpoolRecords.crc(payload) != header.getInt(4)) {
          throw new IOException("spool record at " + describe(pos) + " fails its CRC");
        }
        BatchWrite write = SpoolRecords.decode(payload);
        if (write == null) {
          LOG.error(
              "Spool record at {} no longer decodes as a batch; skipped, not replayed",
              describe(pos));
        } else {
          out.add(write);
        }
        n++;
        size += frame;
        pos = new SpoolPosition(pos.segment(), pos.offset() + frame);
      }
    } finally {
      for (FileChannel ch : open.values()) {
        ch.close();
      }
    }
    return new SpoolSlice(out, pos, n, size);
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
      Long length = segments.get(next.segment());
      Long following = segments.higherKey(next.segment());
      if (following != null && (length == null || next.offset() >= length)) {
        next = new SpoolPosition(following, 0);
      } else {
        break;
      }
    }
    if (leftRecords <= 0 && reuseDrainedSegment && active != null && activeSegment >= 0) {
      // write-behind drains the spool many times a second: keep appending to the same file
      // rather than creating (and fsyncing the directory for) a new one each time
      next = new SpoolPosition(activeSegment, segments.get(activeSegment));
    } else if (leftRecords <= 0) {
      next = new SpoolPosition(Math.max(nextSegment, next.segment() + 1), 0);
      nextSegment = next.segment();
    }
    replayed.write(next);
    done = next;
    records = Math.max(0, leftRecords);
    bytes = records == 0 ? 0 : Math.max(0, bytes - slice.bytes());
    deleteSegmentsBefore(next.segment());
    oldestReceivedAt = records == 0 ? -1 : receivedAtOf(done);
  }

  @Override
  public synchronized void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    try {
      if (active != null) {
        active.close();
        active = null;
      }
    } finally {
      replayed.close();
    }
  }

  // ---- recovery ----

  private int recover() throws IOException {
    TreeMap<Long, Path> found = new TreeMap<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
      for (Path f : files) {
        Matcher m = SEGMENT.matcher(f.getFileName().toString());
        if (m.matches()) {
          found.put(Long.parseLong(m.group(1)), f);
        }
      }
    }
    SpoolPosition mark = replayed.read();
    if (mark == null) {
      mark = new SpoolPosition(found.isEmpty() ? 0 : found.firstKey(), 0);
    }
    for (Map.Entry<Long, Path> old : found.headMap(mark.segment()).entrySet()) {
      Files.deleteIfExists(old.getValue());
    }
    int torn = 0;
    for (Map.Entry<Long, Path> e : found.tailMap(mark.segment(), true).entrySet()) {
      long countFrom = e.getKey() == mark.segment() ? mark.offset() : 0;
      SegmentScan scan = SegmentScan.of(e.getValue(), countFrom);
      if (scan.torn()) {
        torn++;
        LOG.warn(
            "Spool segment {} ends in a record cut short (a crash while appending); truncated"
                + " from {} to {} bytes. That batch was never acknowledged; its agent resends it",
            e.getValue(),
            scan.fileBytes(),
            scan.validBytes());
        try (FileChannel ch = FileChannel.open(e.getValue(), StandardOpenOption.WRITE)) {
          ch.truncate(scan.validBytes());
          ch.force(true);
        }
      }
      segments.put(e.getKey(), scan.validBytes());
      records += scan.records();
      bytes += scan.bytes();
      if (oldestReceivedAt < 0 && scan.records() > 0) {
        oldestReceivedAt = scan.firstReceivedAt();
      }
    }
    Long markLength = segments.get(mark.segment());
    if (markLength != null && mark.offset() > markLength) {
      LOG.warn("Spool replay position {} lies past the data; using its end", describe(mark));
      mark = new SpoolPosition(mark.segment(), markLength);
    }
    done = mark;
    nextSegment = Math.max(mark.segment(), found.isEmpty() ? 0 : found.lastKey() + 1);
    if (!segments.isEmpty()) {
      activeSegment = segments.lastKey();
      active = FileChannel.open(segmentPath(activeSegment), StandardOpenOption.WRITE);
      active.position(segments.get(activeSegment));
    }
    if (records > 0) {
      LOG.info(
          "Spool {} reopened with {} batches ({} bytes) waiting for replay", dir, records, bytes);
    }
    return torn;
  }

  // ---- helpers ----

  private void deleteSegmentsBefore(long segment) throws IOException {
    for (Long id : new ArrayList<>(segments.headMap(segment).keySet())) {
      if (id == activeSegment) {
        active.close();
        active = null;
        activeSegment = -1;
      }
      Files.deleteIfExists(segmentPath(id));
      segments.remove(id);
    }
  }

  private long receivedAtOf(SpoolPosition position) throws IOException {
    try (FileChannel ch =
        FileChannel.open(segmentPath(position.segment()), StandardOpenOption.READ)) {
      ByteBuffer head =
          SpoolRecords.readAt(
              ch, position.offset(), SpoolRecords.HEADER_BYTES + SpoolRecords.PAYLOAD_PREFIX_BYTES);
      return SpoolRecords.receivedAt(head.position(SpoolRecords.HEADER_BYTES));
    }
  }

  private void roll() throws IOException {
    if (active != null) {
      active.force(false);
      active.close();
      active = null;
    }
    long id = nextSegment++;
    active =
        FileChannel.open(segmentPath(id), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    activeSegment = id;
    segments.put(id, 0L);
    syncDirectory();
  }

  /** Cuts the spool back to what it held before a failed append. */
  private void rollBack(long startSegment, long startLength) {
    try {
      for (Long id : new ArrayList<>(segments.tailMap(startSegment, false).keySet())) {
        if (id == activeSegment && active != null) {
          active.close();
          active = null;
        }
        Files.deleteIfExists(segmentPath(id));
        segments.remove(id);
      }
      if (startSegment >= 0) {
        if (active != null) {
          active.close();
        }
        active = FileChannel.open(segmentPath(startSegment), StandardOpenOption.WRITE);
        active.truncate(startLength);
        active.position(startLength);
        active.force(false);
        activeSegment = startSegment;
        segments.put(startSegment, startLength);
      } else {
        activeSegment = -1;
      }
    } catch (IOException e) {
      broken = true;
      LOG.error("Spool {} could not be cut back after a failed append; refusing appends", dir, e);
    }
  }

  private void syncDirectory() {
    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
      d.force(true);
    } catch (IOException e) {
      LOG.debug("Directory {} cannot be fsync'd here: {}", dir, e.toString());
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

  private Path segmentPath(long id) {
    return dir.resolve(String.format("segment-%020d.spool", id));
  }

  private String describe(SpoolPosition p) {
    return segmentPath(p.segment()).getFileName() + "@" + p.offset();
  }
}
