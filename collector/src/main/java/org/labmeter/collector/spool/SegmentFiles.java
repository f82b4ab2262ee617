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
 * The spool's segment files: which exist, how many bytes of complete records each holds, and the
 * one appends go to. Not thread-safe: {@link DiskSpool} calls it under its lock, except {@link
 * #read}, which only reads files through a snapshot of the lengths.
 */
final class SegmentFiles implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SegmentFiles.class);
  private static final Pattern NAME = Pattern.compile("segment-(\\d{20})\\.spool");
  private static final int MAX_FRAME_BYTES =
      SpoolRecords.HEADER_BYTES + SpoolRecords.MAX_PAYLOAD_BYTES;

  /** Most bytes one read takes for the replay (more only for a single larger record). */
  private static final long READ_CHUNK_MAX_BYTES = 1L << 20;

  private final Path dir;
  private final long segmentBytes;

  /** Segment number to the bytes of records written to it. */
  private final TreeMap<Long, Long> lengths = new TreeMap<>();

  /** Segments rolled away from while an fsync outside the lock may still use them. */
  private final List<FileChannel> retired = new ArrayList<>();

  private FileChannel active;
  private long activeId = -1;
  private long nextId;

  /**
   * What opening the spool's directory found from the replay position on.
   *
   * @param mark the replay position, moved back to the end of the data if it lay past it
   * @param firstReceivedAt receive time of the first waiting record, or -1
   * @param torn segments whose last record was cut short and truncated away
   */
  record Recovered(
      SegmentFiles files,
      SpoolPosition mark,
      long records,
      long bytes,
      long firstReceivedAt,
      int torn) {}

  private SegmentFiles(Path dir, long segmentBytes) {
    this.dir = dir;
    this.segmentBytes = segmentBytes;
  }

  /**
   * Deletes segments before {@code saved} (replayed already), truncates a torn record at the end of
   * a segment, and continues appending to the last segment.
   *
   * @param saved the replay position read from disk; null when missing or damaged
   */
  static Recovered open(Path dir, long segmentBytes, SpoolPosition saved) throws IOException {
    SegmentFiles files = new SegmentFiles(dir, segmentBytes);
    TreeMap<Long, Path> found = new TreeMap<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
      for (Path f : entries) {
        Matcher m = NAME.matcher(f.getFileName().toString());
        if (m.matches()) {
          found.put(Long.parseLong(m.group(1)), f);
        }
      }
    }
    SpoolPosition mark =
        saved != null ? saved : new SpoolPosition(found.isEmpty() ? 0 : found.firstKey(), 0);
    for (Map.Entry<Long, Path> old : found.headMap(mark.segment()).entrySet()) {
      Files.deleteIfExists(old.getValue());
    }
    int torn = 0;
    long records = 0;
    long bytes = 0;
    long first = -1;
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
      files.lengths.put(e.getKey(), scan.validBytes());
      records += scan.records();
      bytes += scan.bytes();
      if (first < 0 && scan.records() > 0) {
        first = scan.firstReceivedAt();
      }
    }
    Long markLength = files.lengths.get(mark.segment());
    if (markLength != null && mark.offset() > markLength) {
      LOG.warn("Spool replay position {} lies past the data; using its end", files.describe(mark));
      mark = new SpoolPosition(mark.segment(), markLength);
    }
    files.nextId = Math.max(mark.segment(), found.isEmpty() ? 0 : found.lastKey() + 1);
    if (!files.lengths.isEmpty()) {
      files.activeId = files.lengths.lastKey();
      files.active = FileChannel.open(files.path(files.activeId), StandardOpenOption.WRITE);
      files.active.position(files.lengths.get(files.activeId));
    }
    return new Recovered(files, mark, records, bytes, first, torn);
  }

  /** Bytes written to segment {@code id}, or null when there is no such segment. */
  Long length(long id) {
    return lengths.get(id);
  }

  /** The first segment after {@code id}, or null. */
  Long after(long id) {
    return lengths.higherKey(id);
  }

  int count() {
    return lengths.size();
  }

  /** A copy of the lengths, for {@link #read} outside the lock. */
  TreeMap<Long, Long> lengths() {
    return new TreeMap<>(lengths);
  }

  /** The segment appends go to, or -1 when none is open. */
  long activeId() {
    return activeId;
  }

  FileChannel active() {
    return active;
  }

  /** The number of a new segment at or after {@code atLeast}; appends start it when they come. */
  long reserveNext(long atLeast) {
    nextId = Math.max(nextId, atLeast);
    return nextId;
  }

  /**
   * Writes the records of {@code writes}, one gathering write per segment they land in, rolling to
   * a new segment once the active one holds {@code segmentBytes}. Not fsync'd, except the segment
   * rolled away from; see {@link #closeRetired}.
   */
  void append(List<BatchWrite> writes) throws IOException {
    List<ByteBuffer> frames = new ArrayList<>(writes.size());
    long framed = 0;
    for (BatchWrite w : writes) {
      if (active == null || lengths.get(activeId) + framed >= segmentBytes) {
        writeToActive(frames, framed);
        frames.clear();
        framed = 0;
        roll();
      }
      ByteBuffer frame = SpoolRecords.encode(w);
      framed += frame.remaining();
      frames.add(frame);
    }
    writeToActive(frames, framed);
  }

  private void writeToActive(List<ByteBuffer> frames, long length) throws IOException {
    if (frames.isEmpty()) {
      return;
    }
    ByteBuffer[] buffers = frames.toArray(ByteBuffer[]::new);
    long left = length;
    while (left > 0) {
      left -= active.write(buffers);
    }
    lengths.merge(activeId, length, Long::sum);
  }

  private void roll() throws IOException {
    if (active != null) {
      active.force(false);
      retired.add(active); // an fsync outside the lock may still be using it
      active = null;
    }
    long id = nextId++;
    active = FileChannel.open(path(id), StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    activeId = id;
    lengths.put(id, 0L);
    syncDirectory(dir);
  }

  /** Closes the segments rolled away from; call when no fsync is in flight. */
  void closeRetired() {
    for (FileChannel old : retired) {
      try {
        old.close();
      } catch (IOException e) {
        LOG.debug("Closing a rolled spool segment failed: {}", e.toString());
      }
    }
    retired.clear();
  }

  /**
   * Cuts the segments back to {@code length} bytes of segment {@code id} (-1: none), deleting the
   * segments after it, and appends there next.
   */
  void cutBack(long id, long length) throws IOException {
    for (Long later : new ArrayList<>(lengths.tailMap(id, false).keySet())) {
      if (later == activeId && active != null) {
        active.close();
        active = null;
      }
      Files.deleteIfExists(path(later));
      lengths.remove(later);
    }
    if (id < 0) {
      activeId = -1;
      return;
    }
    if (active != null) {
      active.close();
    }
    active = FileChannel.open(path(id), StandardOpenOption.WRITE);
    active.truncate(length);
    active.position(length);
    active.force(false);
    activeId = id;
    lengths.put(id, length);
  }

  /** Deletes every segment before {@code id}, the active one included if it is among them. */
  void deleteBefore(long id) throws IOException {
    for (Long old : new ArrayList<>(lengths.headMap(id).keySet())) {
      if (old == activeId) {
        active.close();
        active = null;
        activeId = -1;
      }
      Files.deleteIfExists(path(old));
      lengths.remove(old);
    }
  }

  /**
   * Reads complete records from {@code from} on, at most {@code maxRecords} and {@code committed},
   * and, unless it is the first, at most {@code maxBytes} of records; {@code lengths} is a snapshot
   * taken under the lock.
   */
  SpoolSlice read(
      TreeMap<Long, Long> lengths,
      SpoolPosition from,
      long committed,
      int maxRecords,
      long maxBytes)
      throws IOException {
    List<BatchWrite> out = new ArrayList<>();
    SpoolPosition pos = from;
    int n = 0;
    long size = 0;
    Map<Long, FileChannel> open = new TreeMap<>();
    // records are read a chunk at a time (one read for a replay group, not two per record)
    ByteBuffer chunk = null;
    long chunkSegment = -1;
    long chunkAt = 0;
    try {
      while (n < maxRecords && n < committed) {
        Long length = lengths.get(pos.segment());
        if (length == null || pos.offset() >= length) {
          Long next = lengths.higherKey(pos.segment());
          if (next == null) {
            break;
          }
          pos = new SpoolPosition(next, 0);
          continue;
        }
        FileChannel ch = open.get(pos.segment());
        if (ch == null) {
          ch = FileChannel.open(path(pos.segment()), StandardOpenOption.READ);
          open.put(pos.segment(), ch);
        }
        long want = Math.max(SpoolRecords.HEADER_BYTES, maxBytes - size);
        if (chunk == null
            || chunkSegment != pos.segment()
            || pos.offset() + SpoolRecords.HEADER_BYTES > chunkAt + chunk.limit()) {
          chunk = readChunk(ch, pos.offset(), length, want);
          chunkSegment = pos.segment();
          chunkAt = pos.offset();
        }
        int payloadLength = chunk.getInt((int) (pos.offset() - chunkAt));
        long frame = SpoolRecords.HEADER_BYTES + (long) payloadLength;
        if (!SpoolRecords.plausibleLength(payloadLength) || pos.offset() + frame > length) {
          throw new IOException("spool record at " + describe(pos) + " has a bad length");
        }
        if (n > 0 && size + frame > maxBytes) {
          break;
        }
        if (pos.offset() + frame > chunkAt + chunk.limit()) {
          chunk = readChunk(ch, pos.offset(), length, Math.max(frame, want));
          chunkAt = pos.offset();
        }
        int at = (int) (pos.offset() - chunkAt);
        ByteBuffer payload = chunk.slice(at + SpoolRecords.HEADER_BYTES, payloadLength);
        if (SpoolRecords.crc(payload) != chunk.getInt(at + 4)) {
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
   * Up to {@code want} bytes (at least a frame's worth, at most {@link #READ_CHUNK_MAX_BYTES}
   * unless a frame needs more) from {@code offset}, never past {@code length}.
   */
  private static ByteBuffer readChunk(FileChannel ch, long offset, long length, long want)
      throws IOException {
    long bytes = Math.max(Math.min(want, READ_CHUNK_MAX_BYTES), MAX_FRAME_BYTES);
    return SpoolRecords.readAt(ch, offset, (int) Math.min(bytes, length - offset));
  }

  /** When the record at {@code position} was received. */
  long receivedAt(SpoolPosition position) throws IOException {
    try (FileChannel ch = FileChannel.open(path(position.segment()), StandardOpenOption.READ)) {
      ByteBuffer head =
          SpoolRecords.readAt(
              ch, position.offset(), SpoolRecords.HEADER_BYTES + SpoolRecords.PAYLOAD_PREFIX_BYTES);
      return SpoolRecords.receivedAt(head.position(SpoolRecords.HEADER_BYTES));
    }
  }

  String describe(SpoolPosition p) {
    return path(p.segment()).getFileName() + "@" + p.offset();
  }

  @Override
  public void close() throws IOException {
    closeRetired();
    if (active != null) {
      active.close();
      active = null;
    }
  }

  static void syncDirectory(Path dir) {
    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
      d.force(true);
    } catch (IOException e) {
      LOG.debug("Directory {} cannot be fsync'd here: {}", dir, e.toString());
    }
  }

  private Path path(long id) {
    return dir.resolve(String.format("segment-%020d.spool", id));
  }
}
