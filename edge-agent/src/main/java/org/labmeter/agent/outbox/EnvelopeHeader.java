package org.labmeter.agent.outbox;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.labmeter.wire.BatchCodec;

/**
 * The ids and sequence at the start of a v1 envelope, read without decoding the samples, so that
 * indexing a week of records at start takes milliseconds. The layout is BatchCodec's.
 */
record EnvelopeHeader(String agentId, String instrumentId, long sequence) {

  static Optional<EnvelopeHeader> peek(byte[] envelope) {
    if (envelope.length < 8) {
      return Optional.empty();
    }
    for (int i = 0; i < BatchCodec.MAGIC.length; i++) {
      if (envelope[i] != BatchCodec.MAGIC[i]) {
        return Optional.empty();
      }
    }
    if ((envelope[4] & 0xFF) != BatchCodec.VERSION) {
      return Optional.empty();
    }
    try {
      ByteBuffer buf = ByteBuffer.wrap(envelope).position(6);
      String agent = id(buf);
      String instrument = id(buf);
      buf.getInt(); // epoch
      long sequence = buf.getLong();
      return sequence < 0
          ? Optional.empty()
          : Optional.of(new EnvelopeHeader(agent, instrument, sequence));
    } catch (BufferUnderflowException | IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private static String id(ByteBuffer buf) {
    byte[] bytes = new byte[buf.get() & 0xFF];
    buf.get(bytes);
    return new String(bytes, StandardCharsets.US_ASCII);
  }
}
