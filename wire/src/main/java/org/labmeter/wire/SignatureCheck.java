package org.labmeter.wire;

import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * What a valid batch signature is, for every part of LabMeter that checks one (collector, API,
 * offline verifier): RFC 8032 section 5.1.7 with its cofactored group equation [8][S]B = [8]R +
 * [8][k]A, where S must be below the group order L, R must be a canonical encoding of a curve point
 * and A (the enrolled key) a point of prime order. One signature is checked by Bouncy Castle's
 * verifier, which clears the cofactor in exactly this way (the tests hold it to that).
 *
 * <p>Many signatures are checked together ({@link #verifyAll}) through one random linear
 * combination of their equations: Σ z_i·([8][S_i]B − [8]R_i − [8][k_i]A_i) = 0 with independent
 * random 128-bit z_i. When every signature is valid it holds; when any is not, it fails except with
 * probability about 2^-128, and then each signature of that group is checked on its own to tell
 * which. The combination shares the doublings of one multi-scalar multiplication among all
 * signatures of the group, which is where most of the time of a single verification goes.
 */
public final class SignatureCheck {
  /** Signatures combined into one equation; larger groups save little and cost a longer retry. */
  public static final int MAX_GROUP = 64;

  private static final BigInteger ONE = BigInteger.ONE;
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final ThreadLocal<MessageDigest> SHA512 =
      ThreadLocal.withInitial(
          () -> {
            try {
              return MessageDigest.getInstance("SHA-512");
            } catch (NoSuchAlgorithmException e) {
              throw new IllegalStateException("SHA-512 is not available", e);
            }
          });

  /** Each thread's tables for the R points of a group (the keys' tables are kept per key). */
  private static final ThreadLocal<Ed25519Group.TablePool> R_TABLES =
      ThreadLocal.withInitial(() -> new Ed25519Group.TablePool(Ed25519Group.WIDTH, MAX_GROUP));

  private SignatureCheck() {}

  /** Whether {@code batch} carries a valid signature by {@code key}. */
  public static boolean verify(SignedBatch batch, AgentPublicKey key) {
    return batch.verify(key);
  }

  /**
   * Checks many batches at once; result {@code i} says whether batch {@code i} carries a valid
   * signature by key {@code i}, exactly as {@link #verify} would.
   */
  public static boolean[] verifyAll(List<SignedBatch> batches, List<AgentPublicKey> keys) {
    if (batches.size() != keys.size()) {
      throw new IllegalArgumentException(batches.size() + " batches but " + keys.size() + " keys");
    }
    int n = batches.size();
    boolean[] valid = new boolean[n];
    for (int from = 0; from < n; from += MAX_GROUP) {
      int to = Math.min(n, from + MAX_GROUP);
      verifyGroup(batches, keys, from, to, valid);
    }
    return valid;
  }

  private static void verifyGroup(
      List<SignedBatch> batches, List<AgentPublicKey> keys, int from, int to, boolean[] valid) {
    if (to - from == 1) {
      valid[from] = batches.get(from).verify(keys.get(from));
      return;
    }
    Parsed[] parsed = new Parsed[to - from];
    int usable = 0;
    for (int i = from; i < to; i++) {
      SignedBatch b = batches.get(i);
      Parsed p = Parsed.of(b.envelopeBytes(), 0, b.bodyLength(), b.bodyLength(), keys.get(i));
      parsed[i - from] = p;
      if (p != null) {
        usable++;
      }
    }
    if (usable > 0 && combinedHolds(parsed, usable)) {
      for (int i = from; i < to; i++) {
        valid[i] = parsed[i - from] != null;
      }
      return;
    }
    for (int i = from; i < to; i++) {
      valid[i] = parsed[i - from] != null && batches.get(i).verify(keys.get(i));
    }
  }

  /**
   * Whether the combined equation of a group holds, without the check one by one that follows when
   * it does not: verdicts cannot tell the two apart, so the tests ask this.
   */
  static boolean combinedEquationHolds(List<SignedBatch> batches, List<AgentPublicKey> keys) {
    Parsed[] parsed = new Parsed[batches.size()];
    for (int i = 0; i < parsed.length; i++) {
      SignedBatch b = batches.get(i);
      parsed[i] = Parsed.of(b.envelopeBytes(), 0, b.bodyLength(), b.bodyLength(), keys.get(i));
      if (parsed[i] == null) {
        return false;
      }
    }
    return combinedHolds(parsed, parsed.length);
  }

  /** The random linear combination of the equations of every parsed signature. */
  private static boolean combinedHolds(Parsed[] parsed, int usable) {
    Ed25519Group.TablePool rTables = R_TABLES.get();
    Ed25519Group.Table[] tables = new Ed25519Group.Table[2 * usable];
    byte[][] digits = new byte[2 * usable][];
    byte[] random = new byte[16 * usable];
    RANDOM.nextBytes(random);
    BigInteger base = BigInteger.ZERO;
    int j = 0;
    for (Parsed p : parsed) {
      if (p == null) {
        continue;
      }
      BigInteger z = new BigInteger(1, Arrays.copyOfRange(random, 16 * j, 16 * j + 16));
      if (z.signum() == 0) {
        z = ONE;
      }
      base = base.add(z.multiply(p.s));
      tables[2 * j] = rTables.fill(j, p.negR);
      digits[2 * j] = SignedDigits.naf(SignedDigits.words(z), Ed25519Group.WIDTH);
      tables[2 * j + 1] = p.key.negatedTable();
      digits[2 * j + 1] =
          SignedDigits.naf(
              SignedDigits.words(z.multiply(p.k).mod(Ed25519Group.L)), Ed25519Group.WIDTH);
      j++;
    }
    byte[] baseDigits =
        SignedDigits.naf(SignedDigits.words(base.mod(Ed25519Group.L)), Ed25519Group.BASE_WIDTH);
    return Ed25519Group.sumTimesCofactorIsNeutral(tables, digits, baseDigits);
  }

  /**
   * The cofactored equation of one signature computed with this class's own arithmetic (z = 1):
   * what the tests compare with Bouncy Castle's verifier, so that the combined check and the single
   * one are known to agree.
   */
  static boolean cofactoredHolds(
      AgentPublicKey key, byte[] message, int offset, int length, byte[] sig, int sigOffset) {
    Parsed p = Parsed.of(message, offset, length, sigOffset, key, sig);
    if (p == null) {
      return false;
    }
    Ed25519Group.Table[] tables = {
      Ed25519Group.table(p.negR, Ed25519Group.WIDTH), key.negatedTable()
    };
    byte[][] digits = {
      SignedDigits.naf(SignedDigits.words(ONE), Ed25519Group.WIDTH),
      SignedDigits.naf(SignedDigits.words(p.k), Ed25519Group.WIDTH)
    };
    byte[] baseDigits = SignedDigits.naf(SignedDigits.words(p.s), Ed25519Group.BASE_WIDTH);
    return Ed25519Group.sumTimesCofactorIsNeutral(tables, digits, baseDigits);
  }

  /** One signature taken apart: -R, S, k = SHA-512(R || A || M) mod L and the key. */
  private record Parsed(Ed25519Group.Affine negR, BigInteger s, BigInteger k, AgentPublicKey key) {
    static Parsed of(byte[] envelope, int offset, int length, int sigOffset, AgentPublicKey key) {
      return of(envelope, offset, length, sigOffset, key, envelope);
    }

    /** Null when S is not below L or R encodes no point. */
    static Parsed of(
        byte[] message, int offset, int length, int sigOffset, AgentPublicKey key, byte[] sig) {
      if (sig.length - sigOffset < Ed25519.SIGNATURE_SIZE) {
        return null;
      }
      BigInteger s = littleEndian(sig, sigOffset + 32, 32);
      if (s.compareTo(Ed25519Group.L) >= 0) {
        return null;
      }
      Ed25519Group.Affine negR = new Ed25519Group.Affine();
      if (!Ed25519Group.decode(sig, sigOffset, true, negR)) {
        return null;
      }
      MessageDigest sha = SHA512.get();
      sha.update(sig, sigOffset, 32);
      sha.update(key.encodedView());
      sha.update(message, offset, length);
      BigInteger k = littleEndian(sha.digest(), 0, 64).mod(Ed25519Group.L);
      return new Parsed(negR, s, k, key);
    }
  }

  private static BigInteger littleEndian(byte[] bytes, int offset, int length) {
    byte[] be = new byte[length];
    for (int i = 0; i < length; i++) {
      be[i] = bytes[offset + length - 1 - i];
    }
    return new BigInteger(1, be);
  }
}
