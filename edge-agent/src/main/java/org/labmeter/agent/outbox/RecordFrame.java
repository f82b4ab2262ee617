package org.labmeter.agent.outbox;

import java.nio.ByteBuffer;
import java.util.zip.CRC32C;
import org.labmeter.wire.BatchCodec;

/**
 * One record of a segment: {@code [length u32][CRC32C of the envelope u32][envelope]}, big-endian.
 * The length bounds the read and the checksum tells a complete record from one torn by a crash (or
 * from bytes that were never written), so the log can be cut back to its last intact record.
 */
final class RecordFrame {
  static final int HEADER_SIZE = 8;

  /** No envelope is longer; a larger length field is garbage. */
  static final int MAX_LENGTH = BatchCodec.MAX_ENVELOPE_SIZE;

  private RecordFrame() {}

  static ByteBuffer encode(byte[] envelope) {
    ByteBuffer frame = ByteBuffer.allocate(HEADER_SIZE + envelope.length);
    frame.putInt(envelope.length).putInt(crc(envelope, 0, envelope.length)).put(envelope);
    return frame.flip();
  }

  static int crc(byte[] data, int offset, int length) {
    CRC32C crc = new CRC32C();
    crc.update(data, offset, length);
    return (int) crc.getValue();
  }

  /** The size on disk of a record holding {@code envelopeLength} bytes. */
  static long sizeOf(int envelopeLength) {
    return HEADER_SIZE + (long) envelopeLength;
  }
}
