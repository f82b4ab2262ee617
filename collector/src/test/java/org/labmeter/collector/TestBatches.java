package org.labmeter.collector;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.labmeter.collector.auth.AgentRecord;
import org.labmeter.collector.auth.CredentialHash;
import org.labmeter.wire.Batch;
import org.labmeter.wire.BatchCodec;
import org.labmeter.wire.BatchHash;
import org.labmeter.wire.Ed25519Signer;
import org.labmeter.wire.Sample;
import org.labmeter.wire.SignedBatch;

/** Signed batches and agents for tests, built with the real wire code. */
public final class TestBatches {
  /** Iterations for test credentials: the minimum, so tests stay fast. */
  public static final int TEST_ITERATIONS = CredentialHash.MIN_ITERATIONS;

  private TestBatches() {}

  /** A deterministic key: seed bytes all equal to {@code seedByte}. */
  public static Ed25519Signer signer(int seedByte) {
    byte[] seed = new byte[Ed25519Signer.SEED_SIZE];
    Arrays.fill(seed, (byte) seedByte);
    return Ed25519Signer.fromSeed(seed);
  }

  public static AgentRecord agent(
      String agentId, String secret, Ed25519Signer signer, String... instruments) {
    return new AgentRecord(
        agentId,
        CredentialHash.create(secret.toCharArray(), TEST_ITERATIONS).encoded(),
        signer.publicKey(),
        java.util.Set.of(instruments),
        true);
  }

  /**
   * A batch of {@code samples} samples one second apart starting at {@code firstTs}, power 100 W +
   * i, energy 1.0 kWh + i/1000.
   */
  public static SignedBatch batch(
      Ed25519Signer signer,
      String agentId,
      String instrumentId,
      long seq,
      BatchHash previous,
      long firstTs,
      int samples) {
    List<Sample> list = new ArrayList<>();
    for (int i = 0; i < samples; i++) {
      list.add(Sample.power(firstTs + i * 1000L, 100.0 + i, 1.0 + i / 1000.0));
    }
    return BatchCodec.sign(
        new Batch(agentId, instrumentId, 1, seq, previous, firstTs + samples * 1000L, 0, list),
        signer);
  }

  /** {@code count} chained batches starting at sequence 0. */
  public static List<SignedBatch> chain(
      Ed25519Signer signer,
      String agentId,
      String instrumentId,
      int count,
      long firstTs,
      int samplesPerBatch) {
    List<SignedBatch> out = new ArrayList<>();
    BatchHash previous = BatchHash.ZERO;
    for (int seq = 0; seq < count; seq++) {
      SignedBatch b =
          batch(
              signer,
              agentId,
              instrumentId,
              seq,
              previous,
              firstTs + (long) seq * samplesPerBatch * 1000L,
              samplesPerBatch);
      out.add(b);
      previous = b.hash();
    }
    return out;
  }

  /** A copy of {@code envelope} with one byte changed. */
  public static byte[] flip(byte[] envelope, int index) {
    byte[] copy = envelope.clone();
    copy[index] ^= 0x01;
    return copy;
  }
}
