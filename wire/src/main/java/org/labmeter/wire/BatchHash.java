package org.labmeter.wire;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/** A SHA-256 digest of a whole signed batch; the link that chains each batch to the one before. */
public final class BatchHash {
  public static final int SIZE = 32;

  /** The previous-hash of the first batch of a chain. */
  public static final BatchHash ZERO = new BatchHash(new byte[SIZE]);

  private final byte[] bytes;

  private BatchHash(byte[] bytes) {
    this.bytes = bytes;
  }

  public static BatchHash of(byte[] bytes) {
    if (bytes.length != SIZE) {
      throw new IllegalArgumentException("a batch hash has 32 bytes, got " + bytes.length);
    }
    return new BatchHash(bytes.clone());
  }

  public static BatchHash ofHex(String hex) {
    return of(HexFormat.of().parseHex(hex));
  }

  /** SHA-256 over {@code data}. */
  public static BatchHash digest(byte[] data) {
    try {
      return new BatchHash(MessageDigest.getInstance("SHA-256").digest(data));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every Java runtime", e);
    }
  }

  public byte[] toBytes() {
    return bytes.clone();
  }

  void copyTo(byte[] dest, int offset) {
    System.arraycopy(bytes, 0, dest, offset, SIZE);
  }

  public boolean isZero() {
    return Arrays.equals(bytes, ZERO.bytes);
  }

  public String toHex() {
    return HexFormat.of().formatHex(bytes);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof BatchHash other && Arrays.equals(bytes, other.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return toHex();
  }
}
