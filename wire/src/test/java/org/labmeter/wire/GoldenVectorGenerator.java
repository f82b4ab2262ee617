package org.labmeter.wire;

import java.util.HexFormat;
import java.util.List;

/** Prints the golden vector; run only when the format version changes. */
final class GoldenVectorGenerator {
  static final byte[] SEED =
      HexFormat.of().parseHex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60");

  static Batch goldenBatch() {
    return new Batch(
        "agent-demo-1",
        "ms-qtof-01",
        2,
        41,
        BatchHash.ofHex("00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"),
        1_767_225_605_000L,
        -3,
        List.of(
            new Sample(1_767_225_600_000L, 1250.5, 1234.567, RunFlag.RUNNING, Quality.GOOD),
            new Sample(1_767_225_601_000L, 1248.0, Double.NaN, RunFlag.NONE, Quality.SUSPECT),
            Sample.unavailable(1_767_225_602_000L)));
  }

  public static void main(String[] args) {
    SignedBatch signed = BatchCodec.sign(goldenBatch(), Ed25519Signer.fromSeed(SEED));
    System.out.println(
        "publicKey="
            + HexFormat.of().formatHex(Ed25519Signer.fromSeed(SEED).publicKey().toBytes()));
    System.out.println("envelope=" + HexFormat.of().formatHex(signed.envelope()));
    System.out.println("hash=" + signed.hash());
  }
}
