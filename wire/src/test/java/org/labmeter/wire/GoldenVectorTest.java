package org.labmeter.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.math.BigInteger;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.EdECPoint;
import java.security.spec.EdECPublicKeySpec;
import java.security.spec.NamedParameterSpec;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Properties;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The committed vector pins the envelope format: any change to the layout, the signature input or
 * the hash breaks this test, and another implementation can check itself against the same file.
 */
class GoldenVectorTest {
  private static final HexFormat HEX = HexFormat.of();
  private static Properties vector;

  @BeforeAll
  static void load() throws Exception {
    vector = new Properties();
    try (InputStream in =
        GoldenVectorTest.class.getResourceAsStream("/golden-vector-v1.properties")) {
      vector.load(in);
    }
  }

  private static byte[] hex(String key) {
    return HEX.parseHex(vector.getProperty(key));
  }

  @Test
  void encoderProducesExactlyTheCommittedBytes() {
    Ed25519Signer signer = Ed25519Signer.fromSeed(hex("seed"));
    assertThat(signer.publicKey().toBytes()).isEqualTo(hex("publicKey"));
    SignedBatch signed = BatchCodec.sign(GoldenVectorGenerator.goldenBatch(), signer);
    assertThat(HEX.formatHex(signed.envelope())).isEqualTo(vector.getProperty("envelope"));
    assertThat(signed.hash().toHex()).isEqualTo(vector.getProperty("hash"));
  }

  @Test
  void decoderReadsTheCommittedBytes() {
    DecodeResult result = BatchCodec.decode(hex("envelope"));
    assertThat(result).isInstanceOf(DecodeResult.Decoded.class);
    SignedBatch decoded = ((DecodeResult.Decoded) result).signedBatch();
    assertThat(decoded.batch()).isEqualTo(GoldenVectorGenerator.goldenBatch());
    assertThat(decoded.verify(AgentPublicKey.of(hex("publicKey")))).isTrue();
  }

  /** An independent RFC 8032 implementation (the JDK's) accepts the committed signature. */
  @Test
  void jdkEd25519AcceptsTheSignature() throws Exception {
    byte[] envelope = hex("envelope");
    int bodyLength = envelope.length - 64;
    Signature verifier = Signature.getInstance("Ed25519");
    verifier.initVerify(jdkPublicKey(hex("publicKey")));
    verifier.update(envelope, 0, bodyLength);
    assertThat(verifier.verify(Arrays.copyOfRange(envelope, bodyLength, envelope.length))).isTrue();
  }

  private static PublicKey jdkPublicKey(byte[] encoded) throws Exception {
    byte[] reversed = new byte[encoded.length];
    for (int i = 0; i < encoded.length; i++) {
      reversed[i] = encoded[encoded.length - 1 - i];
    }
    boolean xOdd = (reversed[0] & 0x80) != 0;
    reversed[0] &= 0x7F;
    EdECPoint point = new EdECPoint(xOdd, new BigInteger(1, reversed));
    return KeyFactory.getInstance("EdDSA")
        .generatePublic(new EdECPublicKeySpec(NamedParameterSpec.ED25519, point));
  }
}
