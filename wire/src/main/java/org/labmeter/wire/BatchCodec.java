package org.labmeter.wire;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The v1 envelope: one fixed binary layout, so the signed bytes are the sent bytes and no
 * re-serialisation can change them. Layout (big-endian) in docs/protocol.md:
 *
 * <pre>
 * "LMTB" | version u8 = 1 | flags u8 = 0 | agentId len u8 + ASCII | instrumentId len u8 + ASCII
 * | epoch u32 | sequence u64 | previousHash 32 | createdAt i64 ms | clockOffset i32 ms
 * | sampleCount u16 | sampleCount x (ts i64 ms | power f64 | energy f64 | runFlag u8 | quality u8)
 * | Ed25519 signature 64 (over every byte before it)
 * </pre>
 */
public final class BatchCodec {
  public static final byte[] MAGIC = {'L', 'M', 'T', 'B'};
  public static final int VERSION = 1;
  public static final int MAX_SAMPLES = 10_000;
  public static final int SAMPLE_SIZE = 8 + 8 + 8 + 1 + 1;
  private static final int FIXED_HEADER = 4 + 1 + 1 + 1 + 1 + 4 + 8 + 32 + 8 + 4 + 2;

  /** The largest envelope v1 allows, for receivers that cap packet sizes. */
  public static final int MAX_ENVELOPE_SIZE =
      FIXED_HEADER + 64 + 64 + MAX_SAMPLES * SAMPLE_SIZE + Ed25519Signer.SIGNATURE_SIZE;

  private BatchCodec() {}

  /** Encodes and signs a batch. */
  public static SignedBatch sign(Batch batch, Ed25519Signer signer) {
    byte[] agent = batch.agentId().getBytes(StandardCharsets.US_ASCII);
    byte[] instrument = batch.instrumentId().getBytes(StandardCharsets.US_ASCII);
    int bodyLength =
        FIXED_HEADER + agent.length + instrument.length + batch.samples().size() * SAMPLE_SIZE;
    byte[] out = new byte[bodyLength + Ed25519Signer.SIGNATURE_SIZE];
    ByteBuffer buf = ByteBuffer.wrap(out);
    buf.put(MAGIC).put((byte) VERSION).put((byte) 0);
    buf.put((byte) agent.length).put(agent);
    buf.put((byte) instrument.length).put(instrument);
    buf.putInt((int) batch.epoch());
    buf.putLong(batch.sequence());
    buf.put(batch.previousHash().toBytes());
    buf.putLong(batch.createdAtMillis());
    buf.putInt(batch.clockOffsetMillis());
    buf.putShort((short) batch.samples().size());
    long previous = Long.MIN_VALUE;
    for (Sample s : batch.samples()) {
      if (s.timestampMillis() <= previous) {
        throw new IllegalArgumentException(
            "sample timestamps must strictly increase within a batch, got "
                + s.timestampMillis()
                + " after "
                + previous);
      }
      previous = s.timestampMillis();
      buf.putLong(s.timestampMillis());
      buf.putDouble(s.powerW());
      buf.putDouble(s.energyKwh());
      buf.put((byte) s.runFlag().code());
      buf.put((byte) s.quality().code());
    }
    signer.sign(out, 0, bodyLength, out, bodyLength);
    return new SignedBatch(batch, out);
  }

  /**
   * Reads an envelope. Never throws on bad input: every problem is a {@link DecodeResult} value.
   * The signature is not checked here; see {@link SignedBatch#verify}.
   */
  public static DecodeResult decode(byte[] envelope) {
    if (envelope.length < 6) {
      return new DecodeResult.Malformed("envelope of " + envelope.length + " bytes is too short");
    }
    for (int i = 0; i < MAGIC.length; i++) {
      if (envelope[i] != MAGIC[i]) {
        return new DecodeResult.Malformed("not a LabMeter batch (magic bytes differ)");
      }
    }
    int version = envelope[4] & 0xFF;
    if (version != VERSION) {
      return new DecodeResult.UnsupportedVersion(version);
    }
    if (envelope.length > MAX_ENVELOPE_SIZE) {
      return new DecodeResult.Malformed(
          "envelope of " + envelope.length + " bytes exceeds " + MAX_ENVELOPE_SIZE);
    }
    try {
      return decodeV1(ByteBuffer.wrap(envelope), envelope);
    } catch (BufferUnderflowException e) {
      return new DecodeResult.Malformed("envelope truncated");
    } catch (IllegalArgumentException e) {
      return new DecodeResult.Malformed(e.getMessage());
    }
  }

  private static DecodeResult decodeV1(ByteBuffer buf, byte[] envelope) {
    buf.position(5);
    int flags = buf.get() & 0xFF;
    if (flags != 0) {
      return new DecodeResult.Malformed("flags must be 0 in version 1, got " + flags);
    }
    String agent = readId(buf, "agentId");
    String instrument = readId(buf, "instrumentId");
    long epoch = buf.getInt() & 0xFFFF_FFFFL;
    long sequence = buf.getLong();
    if (sequence < 0) {
      return new DecodeResult.Malformed("sequence out of range");
    }
    byte[] previous = new byte[BatchHash.SIZE];
    buf.get(previous);
    long createdAt = buf.getLong();
    int clockOffset = buf.getInt();
    int count = buf.getShort() & 0xFFFF;
    if (count == 0 || count > MAX_SAMPLES) {
      return new DecodeResult.Malformed("sample count " + count + " outside 1.." + MAX_SAMPLES);
    }
    int expected = buf.position() + count * SAMPLE_SIZE + Ed25519Signer.SIGNATURE_SIZE;
    if (envelope.length != expected) {
      return new DecodeResult.Malformed(
          "envelope has " + envelope.length + " bytes, its header implies " + expected);
    }
    List<Sample> samples = new ArrayList<>(count);
    long previousTs = Long.MIN_VALUE;
    for (int i = 0; i < count; i++) {
      long ts = buf.getLong();
      double power = buf.getDouble();
      double energy = buf.getDouble();
      int flagCode = buf.get() & 0xFF;
      int qualityCode = buf.get() & 0xFF;
      RunFlag flag = RunFlag.ofCode(flagCode);
      Quality quality = Quality.ofCode(qualityCode);
      if (flag == null || quality == null) {
        return new DecodeResult.Malformed(
            "sample " + i + " has run flag " + flagCode + " / quality " + qualityCode);
      }
      if (ts <= previousTs) {
        return new DecodeResult.Malformed("sample " + i + " is not after the sample before it");
      }
      previousTs = ts;
      samples.add(new Sample(ts, power, energy, flag, quality));
    }
    Batch batch =
        new Batch(
            agent,
            instrument,
            epoch,
            sequence,
            BatchHash.of(previous),
            createdAt,
            clockOffset,
            samples);
    return new DecodeResult.Decoded(new SignedBatch(batch, envelope.clone()));
  }

  private static String readId(ByteBuffer buf, String field) {
    int length = buf.get() & 0xFF;
    byte[] raw = new byte[length];
    buf.get(raw);
    String id = new String(raw, StandardCharsets.US_ASCII);
    return Ids.requireValid(field, id);
  }
}
