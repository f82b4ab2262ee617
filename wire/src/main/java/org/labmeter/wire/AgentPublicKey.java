package org.labmeter.wire;

import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * An agent's enrolled Ed25519 public key (RFC 8032), with the point decoded once so that each
 * verification skips the decompression.
 */
public final class AgentPublicKey {
  public static final int SIZE = Ed25519.PUBLIC_KEY_SIZE;

  private final byte[] encoded;
  private final Ed25519.PublicPoint point;
  private final Ed25519Group.Affine negated;

  /** Odd multiples of -A for combined checks: built on first use, then kept (about 1.5 kB). */
  private volatile Ed25519Group.Table negatedTable;

  private AgentPublicKey(byte[] encoded, Ed25519.PublicPoint point, Ed25519Group.Affine negated) {
    this.encoded = encoded;
    this.point = point;
    this.negated = negated;
  }

  /**
   * @throws IllegalArgumentException when the bytes are not a valid Ed25519 public key
   */
  public static AgentPublicKey of(byte[] encoded) {
    if (encoded.length != SIZE) {
      throw new IllegalArgumentException(
          "an Ed25519 public key has " + SIZE + " bytes, got " + encoded.length);
    }
    byte[] copy = encoded.clone();
    Ed25519.PublicPoint point = Ed25519.validatePublicKeyFullExport(copy, 0);
    Ed25519Group.Affine negated = new Ed25519Group.Affine();
    if (point == null || !Ed25519Group.decode(copy, 0, true, negated)) {
      throw new IllegalArgumentException("not a valid Ed25519 public key");
    }
    return new AgentPublicKey(copy, point, negated);
  }

  public static AgentPublicKey ofBase64(String base64) {
    return of(Base64.getDecoder().decode(base64.trim()));
  }

  public byte[] toBytes() {
    return encoded.clone();
  }

  public String toBase64() {
    return Base64.getEncoder().encodeToString(encoded);
  }

  /**
   * A short, human-comparable identity of the key: the first 16 bytes of SHA-256 over the key, as
   * eight colon-separated groups of four hex digits. Shown by the agent and by the registry so an
   * administrator can compare them before approving an agent.
   */
  public String fingerprint() {
    byte[] digest = BatchHash.digest(encoded).toBytes();
    String hex = HexFormat.of().formatHex(digest, 0, 16);
    StringBuilder out = new StringBuilder("SHA256:");
    for (int i = 0; i < hex.length(); i += 4) {
      if (i > 0) {
        out.append(':');
      }
      out.append(hex, i, i + 4);
    }
    return out.toString();
  }

  /** The rules are {@link SignatureCheck}'s. */
  boolean verify(byte[] message, int offset, int length, byte[] signature, int signatureOffset) {
    if (signature.length - signatureOffset < Ed25519.SIGNATURE_SIZE) {
      return false;
    }
    return Ed25519.verify(signature, signatureOffset, point, message, offset, length);
  }

  /** The encoding itself, not a copy: for hashing only. */
  byte[] encodedView() {
    return encoded;
  }

  Ed25519Group.Table negatedTable() {
    Ed25519Group.Table t = negatedTable;
    if (t == null) {
      t = Ed25519Group.table(negated, Ed25519Group.WIDTH);
      negatedTable = t;
    }
    return t;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof AgentPublicKey other && Arrays.equals(encoded, other.encoded);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(encoded);
  }

  @Override
  public String toString() {
    return "AgentPublicKey[" + fingerprint() + "]";
  }
}
