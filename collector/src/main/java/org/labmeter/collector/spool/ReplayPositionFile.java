package org.labmeter.collector.spool;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How far the spool has been replayed into the store: segment and offset with their CRC32C, 20
 * bytes rewritten and fsync'd after each replayed group. A damaged file means "replay from the
 * oldest segment", which the store's dedup keys make harmless.
 */
final class ReplayPositionFile implements AutoCloseable {
  static final String NAME = "replayed.pos";
  private static final Logger LOG = LoggerFactory.getLogger(ReplayPositionFile.class);
  private static final int BYTES = 20;

  private final Path dir;
  private final FileChannel channel;
  private final boolean created;

  ReplayPositionFile(Path dir) throws IOException {
    this.dir = dir;
    this.created = !Files.exists(dir.resolve(NAME));
    this.channel =
        FileChannel.open(
            dir.resolve(NAME),
            StandardOpenOption.CREATE,
            StandardOpenOption.READ,
            StandardOpenOption.WRITE);
  }

  /** Whether the file did not exist before (its directory entry then needs an fsync). */
  boolean created() {
    return created;
  }

  /** The stored position, or null when there is none or it is damaged. */
  SpoolPosition read() throws IOException {
    if (channel.size() < BYTES) {
      if (channel.size() > 0) {
        LOG.warn(
            "Spool replay position in {} is cut short; replaying from the oldest segment", dir);
      }
      return null;
    }
    ByteBuffer b = SpoolRecords.readAt(channel, 0, BYTES);
    if (SpoolRecords.crc(b.slice(0, 16)) != b.getInt(16)) {
      LOG.warn("Spool replay position in {} fails its CRC; replaying from the oldest segment", dir);
      return null;
    }
    return new SpoolPosition(b.getLong(0), b.getLong(8));
  }

  void write(SpoolPosition position) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(BYTES);
    b.putLong(0, position.segment()).putLong(8, position.offset());
    b.putInt(16, SpoolRecords.crc(b.slice(0, 16)));
    long at = 0;
    while (b.hasRemaining()) {
      at += channel.write(b, at);
    }
    channel.force(false);
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
