package org.labmeter.agent.outbox;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.labmeter.agent.datadir.DurableFile;

/**
 * One file of an instrument's log, {@code <sequence of its first record, 20 digits>.seg}: records
 * appended at the end and never rewritten. It is deleted whole once every record in it is
 * acknowledged. Confined to the agent's thread.
 */
final class Segment {
  static final String SUFFIX = ".seg";
  private static final Pattern NAME = Pattern.compile("(\\d{20})\\.seg");

  private final Path file;
  private final long firstSequence;
  private final FileChannel channel;
  private long size;
  private boolean writable = true;

  /** Records in this segment not acknowledged yet. */
  int pending;

  /** Sequence of the newest record indexed in this segment, -1 while it has none. */
  long lastSequence = -1;

  private Segment(Path file, long firstSequence, FileChannel channel, long size) {
    this.file = file;
    this.firstSequence = firstSequence;
    this.channel = channel;
    this.size = size;
  }

  static String fileName(long firstSequence) {
    return String.format("%020d", firstSequence) + SUFFIX;
  }

  /** The first sequence a segment file name stands for, or empty for other files. */
  static Optional<Long> firstSequenceOf(Path file) {
    Matcher m = NAME.matcher(file.getFileName().toString());
    return m.matches() ? Optional.of(Long.parseLong(m.group(1))) : Optional.empty();
  }

  static Segment create(Path dir, long firstSequence) throws IOException {
    Path file = dir.resolve(fileName(firstSequence));
    FileChannel channel =
        FileChannel.open(
            file, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE);
    DurableFile.syncDirectory(dir);
    return new Segment(file, firstSequence, channel, 0);
  }

  static Segment open(Path file, long firstSequence, long validSize) throws IOException {
    FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
    if (channel.size() > validSize) {
      channel.truncate(validSize);
      channel.force(true);
    }
    return new Segment(file, firstSequence, channel, validSize);
  }

  /**
   * Appends one record and returns its offset; with {@code sync} it is on disk when this returns. A
   * failed write is cut off again, or, when even that fails, the segment takes no more records, so
   * that torn bytes only ever sit at a segment's end.
   */
  long append(ByteBuffer frame, boolean sync) throws IOException {
    long offset = size;
    try {
      while (frame.hasRemaining()) {
        channel.write(frame, offset + frame.position());
      }
      if (sync) {
        channel.force(false);
      }
    } catch (IOException e) {
      try {
        channel.truncate(offset);
      } catch (IOException again) {
        e.addSuppressed(again);
      }
      writable = false;
      throw e;
    }
    size = offset + frame.limit();
    return offset;
  }

  void sync() throws IOException {
    channel.force(false);
  }

  /** Reads the envelope of the record at {@code offset}, checking its length and checksum. */
  byte[] read(long offset, int length) throws IOException {
    ByteBuffer buf = ByteBuffer.allocate(RecordFrame.HEADER_SIZE + length);
    while (buf.hasRemaining()) {
      if (channel.read(buf, offset + buf.position()) < 0) {
        throw new EOFException(file + ": record at " + offset + " runs past the end");
      }
    }
    buf.flip();
    int storedLength = buf.getInt();
    int storedCrc = buf.getInt();
    byte[] envelope = new byte[length];
    buf.get(envelope);
    if (storedLength != length || storedCrc != RecordFrame.crc(envelope, 0, length)) {
      throw new IOException(file + ": record at " + offset + " fails its checksum");
    }
    return envelope;
  }

  /** A record found by {@link #scan}. */
  record Scanned(long offset, int length, byte[] envelope) {}

  /**
   * Every intact record from the start up to the first one that is torn or garbled.
   *
   * @param validSize where the intact records end; the file is cut back to it on open
   * @param damage why reading stopped before the end of the file, if it did
   */
  record ScanResult(List<Scanned> records, long validSize, Optional<String> damage) {}

  static ScanResult scan(Path file) throws IOException {
    List<Scanned> records = new ArrayList<>();
    long fileSize = Files.size(file);
    long offset = 0;
    try (InputStream raw = Files.newInputStream(file);
        DataInputStream in = new DataInputStream(new BufferedInputStream(raw, 1 << 16))) {
      while (offset < fileSize) {
        if (fileSize - offset < RecordFrame.HEADER_SIZE) {
          return damaged(records, offset, "a record header torn after " + offset);
        }
        int length = in.readInt();
        int crc = in.readInt();
        if (length <= 0 || length > RecordFrame.MAX_LENGTH) {
          return damaged(records, offset, "length " + length + " at " + offset + " is garbage");
        }
        if (fileSize - offset - RecordFrame.HEADER_SIZE < length) {
          return damaged(records, offset, "a record of " + length + " bytes torn at " + offset);
        }
        byte[] envelope = new byte[length];
        in.readFully(envelope);
        if (RecordFrame.crc(envelope, 0, length) != crc) {
          return damaged(records, offset, "the record at " + offset + " fails its checksum");
        }
        records.add(new Scanned(offset, length, envelope));
        offset += RecordFrame.sizeOf(length);
      }
    }
    return new ScanResult(records, offset, Optional.empty());
  }

  private static ScanResult damaged(List<Scanned> records, long offset, String why) {
    return new ScanResult(records, offset, Optional.of(why));
  }

  Path file() {
    return file;
  }

  long firstSequence() {
    return firstSequence;
  }

  long size() {
    return size;
  }

  boolean writable() {
    return writable;
  }

  void close() throws IOException {
    channel.close();
  }

  /** Closes and deletes the file; the caller syncs the directory when it matters. */
  void delete() throws IOException {
    channel.close();
    Files.deleteIfExists(file);
  }
}
