package org.labmeter.collector.spool;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.zip.CRC32C;
import org.labmeter.collector.store.BatchWrite;
import org.labmeter.wire.BatchCodec;
import org.labmeter.wire.DecodeResult;

/**
 * The record layout of a spool segment, big-endian:
 *
 * <pre>
 * int   length     payload bytes that follow the header
 * int   crc32c     CRC32C of the payload
 * --- payload ---
 * byte  version    1
 * byte  flags      bit 0: chainOk
 * long  receivedAt milliseconds since the epoch, when the collector received the batch
 * byte[] envelope  the exact bytes the agent sent (body and signature)
 * </pre>
 *
 * Everything a {@link BatchWrite} needs is in the payload, so a replayed write is the write that
 * would have happened. A record cut short by a crash fails its length or CRC check.
 */
final class SpoolRecords {
  static final int HEADER_BYTES = 8;
  static final int PAYLOAD_PREFIX_BYTES = 10;
  static final int MAX_PAYLOAD_BYTES = PAYLOAD_PREFIX_BYTES + BatchCodec.MAX_ENVELOPE_SIZE;
  private static final byte VERSION = 1;

  private SpoolRecords() {}

  /** Bytes the record of {@code write} takes on disk. */
  static int frameBytes(BatchWrite write) {
    return HEADER_BYTES + PAYLOAD_PREFIX_BYTES + write.batch().envelopeLength();
  }

  /** Header and payload, ready to append. */
  static ByteBuffer encode(BatchWrite write) {
    ByteBuffer envelope = write.batch().envelopeView();
    int payloadBytes = PAYLOAD_PREFIX_BYTES + envelope.remaining();
    ByteBuffer frame = ByteBuffer.allocate(HEADER_BYTES + payloadBytes);
    frame.position(HEADER_BYTES);
    frame.put(VERSION).put((byte) (write.chainOk() ? 1 : 0));
    frame.putLong(write.receivedAtMillis()).put(envelope);
    frame.putInt(0, payloadBytes).putInt(4, crc(frame.slice(HEADER_BYTES, payloadBytes)));
    return frame.position(0);
  }

  /** Whether {@code length} from a header can be a payload length at all. */
  static boolean plausibleLength(int length) {
    return length >= PAYLOAD_PREFIX_BYTES && length <= MAX_PAYLOAD_BYTES;
  }

  static int crc(ByteBuffer payload) {
    CRC32C crc = new CRC32C();
    crc.update(payload.duplicate());
    return (int) crc.getValue();
  }

  /** The receive time in a payload whose CRC has been checked. */
  static long receivedAt(ByteBuffer payload) {
    return payload.getLong(payload.position() + 2);
  }

  /**
   * The write in a payload whose CRC has been checked, or {@code null} when its version is unknown
   * or its envelope no longer decodes.
   */
  static BatchWrite decode(ByteBuffer payload) {
    ByteBuffer p = payload.duplicate();
    if (p.get() != VERSION) {
      return null;
    }
    boolean chainOk = (p.get() & 1) != 0;
    long receivedAt = p.getLong();
    byte[] envelope = new byte[p.remaining()];
    p.get(envelope);
    if (BatchCodec.decode(envelope) instanceof DecodeResult.Decoded d) {
      return new BatchWrite(d.signedBatch(), chainOk, receivedAt);
    }
    return null;
  }

  /** Reads exactly {@code length} bytes at {@code position}, or fails at the end of the file. */
  static ByteBuffer readAt(FileChannel ch, long position, int length) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(length);
    while (b.hasRemaining()) {
      if (ch.read(b, position + b.position()) < 0) {
        throw new EOFException("spool file ends at " + (position + b.position()));
      }
    }
    return b.flip();
  }
}
