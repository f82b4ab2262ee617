package org.labmeter.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.bouncycastle.math.ec.rfc7748.X25519Field;
import org.bouncycastle.math.ec.rfc8032.Ed25519;
import org.junit.jupiter.api.Test;

class SignatureCheckTest {
  private static final HexFormat HEX = HexFormat.of();
  private static final int SIG = Ed25519Signer.SIGNATURE_SIZE;

  /** Keys from fixed seeds, so that a failure can be replayed. */
  private static final List<Ed25519Signer> SIGNERS = signers(12);

  @Test
  void rfc8032TestVectorsVerify() {
    // RFC 8032 section 7.1, TEST 1 (empty message) and TEST 3 (two bytes)
    assertThat(
            rawVerify(
                "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a",
                "",
                "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bac"
                    + "c61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"))
        .isTrue();
    assertThat(
            rawVerify(
                "fc51cd8e6218a1a38da47ed00230f0580816ed13ba3303ac5deb911548908025",
                "af82",
                "6291d657deec24024827e69c3abe01a30ce548a284743a445e3680d7db5ac3ac18ff9b538d16f290"
                    + "ae67f760984dc6594a7c15e9716ed28dc027beceea1ec40a"))
        .isTrue();
    // TEST 1's signature on TEST 3's message does not
    assertThat(
            rawVerify(
                "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a",
                "af82",
                "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bac"
                    + "c61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"))
        .isFalse();
  }

  @Test
  void theCofactoredEquationHoldsForHonestSignaturesAndFailsForTamperedOnes() {
    Random random = new Random(1);
    for (int i = 0; i < 40; i++) {
      Ed25519Signer signer = SIGNERS.get(i % SIGNERS.size());
      byte[] message = new byte[random.nextInt(2000)];
      random.nextBytes(message);
      byte[] sig = new byte[SIG];
      signer.sign(message, 0, message.length, sig, 0);
      AgentPublicKey key = signer.publicKey();
      assertThat(SignatureCheck.cofactoredHolds(key, message, 0, message.length, sig, 0))
          .as("honest signature %d", i)
          .isTrue();
      byte[] otherMessage = message.length == 0 ? new byte[] {1} : message.clone();
      if (message.length > 0) {
        otherMessage[random.nextInt(message.length)] ^= (byte) (1 << random.nextInt(8));
      }
      assertThat(SignatureCheck.cofactoredHolds(key, otherMessage, 0, otherMessage.length, sig, 0))
          .as("changed message %d", i)
          .isFalse();
      byte[] otherSig = sig.clone();
      otherSig[random.nextInt(SIG)] ^= (byte) (1 << random.nextInt(8));
      assertThat(SignatureCheck.cofactoredHolds(key, message, 0, message.length, otherSig, 0))
          .as("changed signature %d", i)
          .isFalse();
      AgentPublicKey otherKey = SIGNERS.get((i + 1) % SIGNERS.size()).publicKey();
      assertThat(SignatureCheck.cofactoredHolds(otherKey, message, 0, message.length, sig, 0))
          .as("another key %d", i)
          .isFalse();
    }
  }

  @Test
  void groupsOfEverySizeAcceptHonestBatches() {
    for (int n : new int[] {1, 2, 3, 63, 64, 65, 130}) {
      List<SignedBatch> batches = new ArrayList<>();
      List<AgentPublicKey> keys = new ArrayList<>();
      honest(n, batches, keys);
      boolean[] valid = SignatureCheck.verifyAll(batches, keys);
      for (int i = 0; i < n; i++) {
        assertThat(valid[i]).as("batch %d of %d", i, n).isTrue();
      }
    }
  }

  @Test
  void theCombinedEquationHoldsGroupAfterGroupOnOneThread() {
    // the tables of the R points are reused from group to group: a stale one would make the
    // combined equation fail, and the verdicts (checked one by one then) would not show it
    for (int n : new int[] {64, 5, 64, 1, 33}) {
      List<SignedBatch> batches = new ArrayList<>();
      List<AgentPublicKey> keys = new ArrayList<>();
      honest(n, batches, keys);
      assertThat(SignatureCheck.combinedEquationHolds(batches, keys)).as("group of %d", n).isTrue();
    }
    List<SignedBatch> batches = new ArrayList<>();
    List<AgentPublicKey> keys = new ArrayList<>();
    honest(8, batches, keys);
    batches.set(3, withSignatureOf(batches.get(3), batches.get(4)));
    assertThat(SignatureCheck.combinedEquationHolds(batches, keys)).isFalse();
  }

  @Test
  void aGroupNamesExactlyTheBatchesWhoseSignaturesAreBad() {
    Random random = new Random(7);
    for (int round = 0; round < 12; round++) {
      int n = 1 + random.nextInt(100);
      List<SignedBatch> batches = new ArrayList<>();
      List<AgentPublicKey> keys = new ArrayList<>();
      honest(n, batches, keys);
      int bad = random.nextInt(Math.min(n, 4) + 1);
      Set<Integer> badAt = new java.util.TreeSet<>();
      while (badAt.size() < bad) {
        badAt.add(random.nextInt(n));
      }
      for (int i : badAt) {
        switch (random.nextInt(4)) {
          case 0 -> batches.set(i, withSignatureBit(batches.get(i), random.nextInt(SIG * 8)));
          case 1 ->
              keys.set(
                  i, SIGNERS.get((SIGNERS.indexOf(signerOf(keys.get(i))) + 1) % 12).publicKey());
          case 2 -> batches.set(i, withScalarPlusOrder(batches.get(i)));
          default ->
              batches.set(
                  i,
                  n > 1
                      ? withSignatureOf(batches.get(i), batches.get((i + 1) % n))
                      : withSignatureBit(batches.get(i), 300));
        }
      }
      boolean[] valid = SignatureCheck.verifyAll(batches, keys);
      for (int i = 0; i < n; i++) {
        assertThat(valid[i])
            .as("round %d batch %d of %d, bad %s", round, i, n, badAt)
            .isEqualTo(!badAt.contains(i));
        assertThat(valid[i]).isEqualTo(SignatureCheck.verify(batches.get(i), keys.get(i)));
      }
    }
  }

  @Test
  void errorsThatCancelInAPlainSumAreStillCaught() {
    List<SignedBatch> batches = new ArrayList<>();
    List<AgentPublicKey> keys = new ArrayList<>();
    honest(8, batches, keys);
    // S + 1 on one signature and S - 1 on another: their equations' errors are +B and -B
    batches.set(2, withScalarDelta(batches.get(2), BigInteger.ONE));
    batches.set(5, withScalarDelta(batches.get(5), BigInteger.ONE.negate()));
    boolean[] valid = SignatureCheck.verifyAll(batches, keys);
    for (int i = 0; i < 8; i++) {
      assertThat(valid[i]).as("batch %d", i).isEqualTo(i != 2 && i != 5);
    }
  }

  @Test
  void aNonCanonicalScalarOrPointIsRefused() {
    List<SignedBatch> batches = new ArrayList<>();
    List<AgentPublicKey> keys = new ArrayList<>();
    honest(4, batches, keys);
    SignedBatch plusOrder = withScalarPlusOrder(batches.get(0));
    assertThat(plusOrder.verify(keys.get(0))).isFalse();
    // y = p + 1 encodes the same y as 1 but is not reduced
    byte[] env = batches.get(1).envelope();
    int r = env.length - SIG;
    byte[] nonCanonical = Ed25519Group.littleEndian(Ed25519Group.P.add(BigInteger.ONE));
    System.arraycopy(nonCanonical, 0, env, r, 32);
    SignedBatch badR = decoded(env);
    assertThat(badR.verify(keys.get(1))).isFalse();
    batches.set(0, plusOrder);
    batches.set(1, badR);
    assertThat(SignatureCheck.verifyAll(batches, keys)).containsExactly(false, false, true, true);
  }

  /**
   * The key holder can add a point of small order to R and sign for that R. The cofactored equation
   * holds for such signatures; Bouncy Castle's single check must accept them too, or the combined
   * check (which the collector uses) and the single one (which the offline verifier uses) would
   * disagree.
   */
  @Test
  void anROfMixedOrderPassesTheSingleAndTheCombinedCheckAlike() throws Exception {
    byte[] seed = new byte[32];
    seed[0] = 42;
    Ed25519Signer signer = Ed25519Signer.fromSeed(seed);
    AgentPublicKey key = signer.publicKey();
    byte[] h = MessageDigest.getInstance("SHA-512").digest(seed);
    byte[] a = Arrays.copyOf(h, 32);
    a[0] &= (byte) 248;
    a[31] &= 127;
    a[31] |= 64;
    BigInteger secret = littleEndian(a, 0, 32);
    int refusedByBc = 0; // by its verifier on the raw key, as AgentPublicKey calls it on the point
    List<SignedBatch> mixed = new ArrayList<>();
    for (int seq = 1; seq <= 24; seq++) {
      SignedBatch honest = BatchCodec.sign(BatchCodecTest.batch(seq, BatchHash.ZERO), signer);
      byte[] env = honest.envelope();
      int body = env.length - SIG;
      MessageDigest sha = MessageDigest.getInstance("SHA-512");
      sha.update(h, 32, 32);
      sha.update(env, 0, body);
      BigInteger nonce = littleEndian(sha.digest(), 0, 64).mod(Ed25519Group.L);
      Ed25519Group.Affine point = new Ed25519Group.Affine();
      assertThat(Ed25519Group.decode(env, body, false, point)).isTrue();
      // R + T4 with T4 = (sqrt(-1), 0) of order 4: (sqrt(-1)·y, sqrt(-1)·x)
      int[] i4 = new int[10];
      X25519Field.decode(
          Ed25519Group.littleEndian(
              BigInteger.TWO.modPow(
                  Ed25519Group.P.subtract(BigInteger.ONE).shiftRight(2), Ed25519Group.P)),
          0,
          i4);
      int[] nx = new int[10];
      int[] ny = new int[10];
      X25519Field.mul(point.y, i4, nx);
      X25519Field.mul(point.x, i4, ny);
      X25519Field.copy(nx, 0, point.x, 0);
      X25519Field.copy(ny, 0, point.y, 0);
      if (seq % 2 == 0) {
        X25519Field.negate(point.x, point.x);
        X25519Field.negate(point.y, point.y);
      }
      byte[] mixedR = Ed25519Group.encode(point);
      sha.reset();
      sha.update(mixedR);
      sha.update(key.toBytes());
      sha.update(env, 0, body);
      BigInteger k = littleEndian(sha.digest(), 0, 64).mod(Ed25519Group.L);
      byte[] s = Ed25519Group.littleEndian(nonce.add(k.multiply(secret)).mod(Ed25519Group.L));
      System.arraycopy(mixedR, 0, env, body, 32);
      System.arraycopy(s, 0, env, body + 32, 32);
      SignedBatch crafted = decoded(env);
      if (!Ed25519.verify(env, body, key.toBytes(), 0, env, 0, body)) {
        refusedByBc++;
      }
      assertThat(crafted.verify(key)).as("seq %d", seq).isTrue();
      assertThat(SignatureCheck.cofactoredHolds(key, env, 0, body, env, body))
          .as("seq %d", seq)
          .isTrue();
      mixed.add(crafted);
    }
    assertThat(refusedByBc).as("signatures Bouncy Castle refused").isZero();
    List<AgentPublicKey> keys = new ArrayList<>();
    for (int i = 0; i < mixed.size(); i++) {
      keys.add(key);
    }
    boolean[] valid = SignatureCheck.verifyAll(mixed, keys);
    for (boolean v : valid) {
      assertThat(v).isTrue();
    }
  }

  @Test
  void wNafDigitsAddUpToTheScalar() {
    Random random = new Random(3);
    for (int width : new int[] {5, 8}) {
      for (int i = 0; i < 200; i++) {
        BigInteger k = new BigInteger(253, random).mod(Ed25519Group.L);
        byte[] naf = SignedDigits.naf(SignedDigits.words(k), width);
        BigInteger sum = BigInteger.ZERO;
        int lastNonZero = -width;
        for (int bit = 0; bit < naf.length; bit++) {
          if (naf[bit] != 0) {
            assertThat(naf[bit] & 1).isEqualTo(1);
            assertThat(Math.abs(naf[bit])).isLessThan(1 << (width - 1));
            assertThat(bit - lastNonZero).isGreaterThanOrEqualTo(width);
            lastNonZero = bit;
            sum = sum.add(BigInteger.valueOf(naf[bit]).shiftLeft(bit));
          }
        }
        assertThat(sum).isEqualTo(k);
      }
    }
  }

  private static boolean rawVerify(String publicKey, String message, String signature) {
    byte[] m = HEX.parseHex(message);
    byte[] s = HEX.parseHex(signature);
    AgentPublicKey key = AgentPublicKey.of(HEX.parseHex(publicKey));
    return key.verify(m, 0, m.length, s, 0)
        && SignatureCheck.cofactoredHolds(key, m, 0, m.length, s, 0);
  }

  private static void honest(int n, List<SignedBatch> batches, List<AgentPublicKey> keys) {
    for (int i = 0; i < n; i++) {
      Ed25519Signer signer = SIGNERS.get(i % SIGNERS.size());
      batches.add(BatchCodec.sign(BatchCodecTest.batch(i + 1, BatchHash.ZERO), signer));
      keys.add(signer.publicKey());
    }
  }

  private static Ed25519Signer signerOf(AgentPublicKey key) {
    return SIGNERS.stream().filter(s -> s.publicKey().equals(key)).findFirst().orElseThrow();
  }

  private static SignedBatch withSignatureBit(SignedBatch b, int bit) {
    byte[] env = b.envelope();
    env[env.length - SIG + bit / 8] ^= (byte) (1 << (bit % 8));
    return decoded(env);
  }

  private static SignedBatch withSignatureOf(SignedBatch b, SignedBatch donor) {
    byte[] env = b.envelope();
    byte[] other = donor.envelope();
    System.arraycopy(other, other.length - SIG, env, env.length - SIG, SIG);
    return decoded(env);
  }

  private static SignedBatch withScalarPlusOrder(SignedBatch b) {
    return withScalarDelta(b, Ed25519Group.L);
  }

  private static SignedBatch withScalarDelta(SignedBatch b, BigInteger delta) {
    byte[] env = b.envelope();
    int off = env.length - 32;
    BigInteger s = littleEndian(env, off, 32).add(delta);
    System.arraycopy(Ed25519Group.littleEndian(s), 0, env, off, 32);
    return decoded(env);
  }

  private static SignedBatch decoded(byte[] env) {
    return ((DecodeResult.Decoded) BatchCodec.decode(env)).signedBatch();
  }

  private static BigInteger littleEndian(byte[] bytes, int offset, int length) {
    byte[] be = new byte[length];
    for (int i = 0; i < length; i++) {
      be[i] = bytes[offset + length - 1 - i];
    }
    return new BigInteger(1, be);
  }

  private static List<Ed25519Signer> signers(int n) {
    List<Ed25519Signer> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      byte[] seed = new byte[32];
      seed[0] = (byte) (i + 1);
      seed[31] = (byte) 0x5a;
      out.add(Ed25519Signer.fromSeed(seed));
    }
    return out;
  }
}
