package org.labmeter.collector.spool;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * What a segment file holds, read record by record when the spool is opened: where its complete
 * records end and, from a given offset on, how many there are.
 *
 * @param validBytes where the last complete record with a good CRC ends
 * @param fileBytes the file's size; more than {@code validBytes} when its tail is torn
 * @param records complete records at or after the offset asked for
 * @param bytes their size, framing included
 * @param firstReceivedAt receive time of the first of them, or -1
 */
record SegmentScan(
    long validBytes, long fileBytes, long records, long bytes, long firstReceivedAt) {

  boolean torn() {
    return fileBytes > validBytes;
  }

  static SegmentScan of(Path file, long countFrom) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = ch.size();
      long pos = 0;
      long records = 0;
      long bytes = 0;
      long first = -1;
      while (size - pos >= SpoolRecords.HEADER_BYTES) {
        ByteBuffer header = SpoolRecords.readAt(ch, pos, SpoolRecords.HEADER_BYTES);
        int length = header.getInt(0);
        if (!SpoolRecords.plausibleLength(length)
            || pos + SpoolRecords.HEADER_BYTES + length > size) {
          break;
        }
        ByteBuffer payload = SpoolRecords.readAt(ch, pos + SpoolRecords.HEADER_BYTES, length);
        if (SpoolRecords.crc(payload) != header.getInt(4)) {
          break;
        }
        if (pos >= countFrom) {
          if (records == 0) {
            first = SpoolRecords.receivedAt(payload);
          }
          records++;
          bytes += SpoolRecords.HEADER_BYTES + length;
        }
        pos += SpoolRecords.HEADER_BYTES + length;
      }
      return new SegmentScan(pos, size, records, bytes, first);
    }
  }
}
