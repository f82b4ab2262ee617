package org.labmeter.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class BatchCodecTest {
  private static final Ed25519Signer SIGNER = Ed25519Signer.fromSeed(new byte[32]);

  static Batch batch(long seq, BatchHash prev) {
    return new Batch(
        "agent-1",
        "nmr-600",
        3,
        seq,
        prev,
        1_700_000_010_000L,
        -12,
        List.of(
            Sample.power(1_700_000_000_000L, 1520.5, 12.25),
            new Sample(1_700_000_001_000L, 1490.0, Double.NaN, RunFlag.RUNNING, Quality.GOOD),
            Sample.unavailable(1_700_000_002_000L)));
  }

  @Test
  void roundTripKeepsEveryFieldAndVerifies() {
    SignedBatch signed = BatchCodec.sign(batch(7, BatchHash.digest(new byte[] {1})), SIGNER);
    DecodeResult result = BatchCodec.decode(signed.envelope());
    assertThat(result).isInstanceOf(DecodeResult.Decoded.class);
    SignedBatch decoded = ((DecodeResult.Decoded) result).signedBatch();
    assertThat(decoded.batch()).isEqualTo(signed.batch());
    assertThat(decoded.hash()).isEqualTo(signed.hash());
    assertThat(decoded.verify(SIGNER.publicKey())).isTrue();
    // 8 + 14 ids + 4 + 8 + 32 + 8 + 4 + 2 = header 80, 3 samples x 26, signature 64
    assertThat(decoded.envelopeLength()).isEqualTo(80 + 3 * 26 + 64);
  }

  @Test
  void everySingleByteChangeIsDetected() {
    byte[] envelope = BatchCodec.sign(batch(1, BatchHash.ZERO), SIGNER).envelope();
    for (int i = 0; i < envelope.length; i++) {
      byte[] tampered = envelope.clone();
      tampered[i] ^= 0x01;
      DecodeResult result = BatchCodec.decode(tampered);
      if (result instanceof DecodeResult.Decoded d) {
        assertThat(d.signedBatch().verify(SIGNER.publicKey())).as("byte %d flipped", i).isFalse();
      }
    }
  }

  @Test
  void anotherAgentsKeyDoesNotVerify() {
    SignedBatch signed = BatchCodec.sign(batch(1, BatchHash.ZERO), SIGNER);
    byte[] otherSeed = new byte[32];
    otherSeed[0] = 1;
    assertThat(signed.verify(Ed25519Signer.fromSeed(otherSeed).publicKey())).isFalse();
  }

  @Test
  void unknownVersionIsReportedNotParsed() {
    byte[] envelope = BatchCodec.sign(batch(1, BatchHash.ZERO), SIGNER).envelope();
    envelope[4] = 2;
    assertThat(BatchCodec.decode(envelope)).isEqualTo(new DecodeResult.UnsupportedVersion(2));
  }

  @Test
  void malformedInputsAreValuesWithReasons() {
    byte[] good = BatchCodec.sign(batch(1, BatchHash.ZERO), SIGNER).envelope();
    assertThat(BatchCodec.decode(new byte[0])).isInstanceOf(DecodeResult.Malformed.class);
    assertThat(BatchCodec.decode("hello world".getBytes()))
        .isEqualTo(new DecodeResult.Malformed("not a LabMeter batch (magic bytes differ)"));

    byte[] truncated = java.util.Arrays.copyOf(good, good.length - 1);
    assertThat(BatchCodec.decode(truncated))
        .isInstanceOf(DecodeResult.Malformed.class)
        .extracting(r -> ((DecodeResult.Malformed) r).reason())
        .asString()
        .contains("implies");

    byte[] longer = java.util.Arrays.copyOf(good, good.length + 1);
    assertThat(BatchCodec.decode(longer)).isInstanceOf(DecodeResult.Malformed.class);

    byte[] badFlags = good.clone();
    badFlags[5] = 1;
    assertThat(BatchCodec.decode(badFlags))
        .isEqualTo(new DecodeResult.Malformed("flags must be 0 in version 1, got 1"));

    byte[] badId = good.clone();
    badId[7] = '/'; // first character of the agent id
    assertThat(BatchCodec.decode(badId)).isInstanceOf(DecodeResult.Malformed.class);

    byte[] hugeIdLength = good.clone();
    hugeIdLength[6] = (byte) 0xFF;
    assertThat(BatchCodec.decode(hugeIdLength)).isInstanceOf(DecodeResult.Malformed.class);
  }

  @Test
  void outOfOrderSamplesAreRefusedOnBothSides() {
    byte[] good = BatchCodec.sign(batch(1, BatchHash.ZERO), SIGNER).envelope();
    // second sample's timestamp starts at header (80) + 26; make it equal to the first one's
    byte[] reordered = good.clone();
    System.arraycopy(good, 80, reordered, 80 + 26, 8);
    assertThat(BatchCodec.decode(reordered))
        .isEqualTo(new DecodeResult.Malformed("sample 1 is not after the sample before it"));
  }

  @Test
  void hashChainsOnTheWholeEnvelope() {
    SignedBatch first = BatchCodec.sign(batch(0, BatchHash.ZERO), SIGNER);
    SignedBatch second = BatchCodec.sign(batch(1, first.hash()), SIGNER);
    assertThat(second.batch().previousHash()).isEqualTo(BatchHash.digest(first.envelope()));
  }
}
