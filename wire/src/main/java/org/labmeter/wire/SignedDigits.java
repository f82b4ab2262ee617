package org.labmeter.wire;

import java.math.BigInteger;

/**
 * Scalars recoded into signed-window digits for {@link Ed25519Group}'s multi-scalar multiplication:
 * with width w, at most one digit in any w consecutive ones is non-zero, and each non-zero digit
 * picks an odd multiple from a table of 2^(w-2) points.
 */
final class SignedDigits {
  private SignedDigits() {}

  /**
   * Signed-window (width-w NAF) digits of a scalar below 2^255, least significant first: every
   * non-zero digit is odd and below 2^(w-1) in magnitude, and any w consecutive digits hold at most
   * one non-zero.
   *
   * @param k the scalar as four little-endian 64-bit words
   */
  static byte[] naf(long[] k, int width) {
    long[] words = {k[0], k[1], k[2], k[3], 0L};
    byte[] naf = new byte[256];
    long window = 1L << width;
    long mask = window - 1;
    long carry = 0;
    int pos = 0;
    while (pos < 256) {
      int idx = pos >>> 6;
      int bit = pos & 63;
      long buf =
          bit < 64 - width
              ? words[idx] >>> bit
              : (words[idx] >>> bit) | (words[idx + 1] << (64 - bit));
      long w = carry + (buf & mask);
      if ((w & 1) == 0) {
        pos++;
        continue;
      }
      if (w < window / 2) {
        carry = 0;
        naf[pos] = (byte) w;
      } else {
        carry = 1;
        naf[pos] = (byte) (w - window);
      }
      pos += width;
    }
    return naf;
  }

  /** A non-negative scalar below 2^256 as four little-endian 64-bit words. */
  static long[] words(BigInteger k) {
    long[] out = new long[4];
    for (int i = 0; i < 4; i++) {
      out[i] = k.shiftRight(64 * i).longValue();
    }
    return out;
  }
}
