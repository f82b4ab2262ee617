package org.labmeter.agent.outbox;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.LongPredicate;
import org.labmeter.agent.datadir.DurableFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One instrument's append-only outbox log: segment files of records in sequence order, an index of
 * the unacknowledged ones, and the acknowledged prefix. Acknowledgements may come in any order
 * within the in-flight window; a segment is deleted once none of its records is pending.
 *
 * <p>Confined to the agent's thread, except {@link #next}, which reads a concurrent index.
 */
final class InstrumentLog {
  private static final Logger log = LoggerFactory.getLogger(InstrumentLog.class);

  /** How far the acknowledged prefix may run ahead of the {@code acked} file. */
  static final long ACK_PERSIST_INTERVAL = 1024;

  /** Where a pending record lives. */
  record Location(Segment segment, long offset, int length) {}

  private final String agentId;
  private final String instrumentId;
  private final Path dir;
  private final long segmentBytes;
  private final long retireBytes;
  private final OutboxCounters counters;
  private final LongPredicate headMayLeave;
  private final TreeMap<Long, Segment> segments = new TreeMap<>();
  private final ConcurrentSkipListMap<Long, Location> pending = new ConcurrentSkipListMap<>();
  private long newestSequence = -1;
  private Location newest;
  private long persistedAck;

  /**
   * @param headMayLeave asked before the record holding the chain head is deleted; true once the
   *     chain state file durably records that sequence, so the head is never only in memory
   */
  private InstrumentLog(
      String agentId,
      String instrumentId,
      Path dir,
      long segmentBytes,
      OutboxCounters counters,
      LongPredicate headMayLeave) {
    this.agentId = agentId;
    this.instrumentId = instrumentId;
    this.dir = dir;
    this.segmentBytes = segmentBytes;
    this.retireBytes = Math.min(segmentBytes / 2, Outbox.RETIRE_BYTES);
    this.counters = counters;
    this.headMayLeave = headMayLeave;
  }

  /**
   * Opens the log in {@code dir}, creating it when absent: indexes every intact record above the
   * acknowledged prefix, cuts a torn or garbled tail off each segment (logged and counted), and
   * deletes segments that hold nothing pending.
   */
  static InstrumentLog open(
      String agentId,
      String instrumentId,
      Path dir,
      long segmentBytes,
      OutboxCounters counters,
      LongPredicate headMayLeave)
      throws IOException {
    DurableFile.createDirectories(dir);
    InstrumentLog l =
        new InstrumentLog(agentId, instrumentId, dir, segmentBytes, counters, headMayLeave);
    l.recover();
    return l;
  }

  private void recover() throws IOException {
    persistedAck = AckFile.read(dir);
    TreeMap<Long, Path> files = new TreeMap<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
      for (Path file : entries) {
        if (file.getFileName().toString().endsWith(DurableFile.TEMP_SUFFIX)) {
          log.warn(
              "agent {} instrument {}: removing {} left by an interrupted write",
              agentId,
              instrumentId,
              file);
          Files.delete(file);
        } else if (Files.isRegularFile(file)) {
          Segment.firstSequenceOf(file).ifPresent(first -> files.put(first, file));
        }
      }
    }
    for (Map.Entry<Long, Path> e : files.entrySet()) {
      index(e.getValue(), e.getKey());
    }
    for (Segment segment : new ArrayList<>(segments.values())) {
      if (segment.pending == 0 && (newest == null || newest.segment() != segment)) {
        drop(segment);
      }
    }
  }

  private void index(Path file, long firstSequence) throws IOException {
    Segment.ScanResult scan = Segment.scan(file);
    if (scan.damage().isPresent()) {
      counters.truncatedRecords.incrementAndGet();
      log.error(
          "agent {} instrument {}: {} in {}; cutting {} bytes off, keeping the {} records before it",
          agentId,
          instrumentId,
          scan.damage().get(),
          file,
          Files.size(file) - scan.validSize(),
          scan.records().size());
    }
    Segment segment = Segment.open(file, firstSequence, scan.validSize());
    segments.put(firstSequence, segment);
    counters.diskBytes.addAndGet(segment.size());
    for (Segment.Scanned record : scan.records()) {
      Optional<EnvelopeHeader> header = EnvelopeHeader.peek(record.envelope());
      if (header.isEmpty() || !header.get().instrumentId().equals(instrumentId)) {
        log.error(
            "agent {} instrument {}: the record at {} in {} is not a batch of this instrument;"
                + " skipped",
            agentId,
            instrumentId,
            record.offset(),
            file);
        continue;
      }
      long sequence = header.get().sequence();
      if (sequence <= newestSequence) {
        continue; // written twice by an import that was interrupted; the first copy counts
      }
      Location location = new Location(segment, record.offset(), record.length());
      indexAppended(sequence, location);
      if (sequence <= persistedAck) {
        pending.remove(sequence);
        segment.pending--;
        counters.pendingRemoved(record.length());
      }
    }
  }

  /**
   * Appends a record; with {@code sync} it is on disk when this returns (one fdatasync).
   *
   * @throws IllegalStateException when {@code sequence} is not after the newest in the log
   */
  void append(long sequence, byte[] envelope, boolean sync) throws IOException {
    if (sequence <= newestSequence) {
      throw new IllegalStateException(
          "instrument "
              + instrumentId
              + ": batch "
              + sequence
              + " is not after the newest in the outbox, "
              + newestSequence);
    }
    ByteBuffer frame = RecordFrame.encode(envelope);
    Segment active = segments.isEmpty() ? null : segments.lastEntry().getValue();
    if (active == null
        || !active.writable()
        || (active.size() > 0 && active.size() + frame.limit() > segmentBytes)) {
      if (active != null && active.size() == 0) {
        segments.remove(active.firstSequence());
        active.delete();
      }
      active = Segment.create(dir, sequence);
      segments.put(sequence, active);
    }
    long offset = active.append(frame, sync);
    counters.diskBytes.addAndGet(frame.limit());
    indexAppended(sequence, new Location(active, offset, envelope.length));
  }

  private void indexAppended(long sequence, Location location) {
    pending.put(sequence, location);
    location.segment().pending++;
    location.segment().lastSequence = sequence;
    counters.pendingAdded(location.length());
    newestSequence = sequence;
    newest = location;
  }

  /** Makes every record appended without {@code sync} durable. */
  void sync() throws IOException {
    for (Segment segment : segments.values()) {
      segment.sync();
    }
  }

  byte[] read(long sequence) throws IOException {
    Location location = pending.get(sequence);
    if (location == null) {
      throw new IOException(
          "batch " + sequence + " of instrument " + instrumentId + " is no longer in the outbox");
    }
    return location.segment().read(location.offset(), location.length());
  }

  /** The oldest pending record after {@code afterSequence}: its sequence and envelope length. */
  Optional<Map.Entry<Long, Location>> next(long afterSequence) {
    return Optional.ofNullable(pending.higherEntry(afterSequence));
  }

  /**
   * Marks a record acknowledged; false when it was not pending (a duplicate PUBACK). Deletes its
   * segment when nothing in it is pending any more.
   */
  boolean acknowledge(long sequence) throws IOException {
    Location location = pending.remove(sequence);
    if (location == null) {
      return false;
    }
    counters.pendingRemoved(location.length());
    Segment segment = location.segment();
    segment.pending--;
    if (segment.pending == 0) {
      retire(segment);
    }
    if (ackedThrough() - persistedAck >= ACK_PERSIST_INTERVAL) {
      persistAck();
    }
    return true;
  }

  /**
   * Deletes a segment with nothing pending. The newest segment holds the chain head and takes the
   * next appends, so it goes only once it is large enough to be worth a new file, and only once the
   * chain state file has the head.
   */
  private void retire(Segment segment) throws IOException {
    boolean holdsHead = newest != null && newest.segment() == segment;
    if (holdsHead && (segment.size() < retireBytes || !headMayLeave.test(newestSequence))) {
      return;
    }
    drop(segment);
    persistAck();
  }

  private void drop(Segment segment) throws IOException {
    segments.remove(segment.firstSequence());
    counters.diskBytes.addAndGet(-segment.size());
    if (newest != null && newest.segment() == segment) {
      newest = null;
    }
    segment.delete();
  }

  /** Every sequence up to this one is acknowledged (or was never in this log). */
  long ackedThrough() {
    return pending.isEmpty() ? newestSequence : pending.firstKey() - 1;
  }

  private void persistAck() {
    long through = ackedThrough();
    if (through <= persistedAck) {
      return;
    }
    try {
      AckFile.write(dir, through);
      persistedAck = through;
    } catch (IOException e) {
      log.warn(
          "agent {} instrument {}: cannot record acknowledgements up to {} ({}); they may be sent"
              + " again after a restart",
          agentId,
          instrumentId,
          through,
          e.toString());
    }
  }

  /** The newest record still in the log, which recovery reads the chain head from. */
  Optional<byte[]> newestEnvelope() throws IOException {
    return newest == null
        ? Optional.empty()
        : Optional.of(newest.segment().read(newest.offset(), newest.length()));
  }

  long newestSequence() {
    return newestSequence;
  }

  int pendingCount() {
    return pending.size();
  }

  int segmentCount() {
    return segments.size();
  }

  /** Records the acknowledged prefix and closes the files. */
  void close() throws IOException {
    persistAck();
    IOException failure = null;
    for (Segment segment : segments.values()) {
      try {
        segment.close();
      } catch (IOException e) {
        failure = failure == null ? e : failure;
      }
    }
    if (failure != null) {
      throw failure;
    }
  }
}
