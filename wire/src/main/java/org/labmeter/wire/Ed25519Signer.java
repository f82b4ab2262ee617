package org.labmeter.wire;

import java.security.SecureRandom;
import java.util.Arrays;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * An agent's private signing key. It is created and kept on the agent; no other component ever
 * holds one. Uses Bouncy Castle's RFC 8032 implementation, several times faster than the JDK's.
 */
public final class Ed25519Signer {
  public static final int SEED_SIZE = Ed25519.SECRET_KEY_SIZE;
  public static final int SIGNATURE_SIZE = Ed25519.SIGNATURE_SIZE;

  private final byte[] seed;
  private final byte[] publicKey;
  private final AgentPublicKey agentPublicKey;

  private Ed25519Signer(byte[] seed) {
    this.seed = seed;
    this.publicKey = new byte[Ed25519.PUBLIC_KEY_SIZE];
    Ed25519.generatePublicKey(seed, 0, publicKey, 0);
    this.agentPublicKey = AgentPublicKey.of(publicKey);
  }

  /** A signer for an existing 32-byte private key (the RFC 8032 seed). */
  public static Ed25519Signer fromSeed(byte[] seed) {
    if (seed.length != SEED_SIZE) {
      throw new IllegalArgumentException(
          "an Ed25519 private key has " + SEED_SIZE + " bytes, got " + seed.length);
    }
    return new Ed25519Signer(seed.clone());
  }

  public static Ed25519Signer generate(SecureRandom random) {
    byte[] seed = new byte[SEED_SIZE];
    Ed25519.generatePrivateKey(random, seed);
    return new Ed25519Signer(seed);
  }

  /** The private key bytes, for writing the key file. Callers must not keep the copy around. */
  public byte[] seed() {
    return seed.clone();
  }

  public AgentPublicKey publicKey() {
    return agentPublicKey;
  }

  /** Signs {@code length} bytes of {@code message} and writes the signature at {@code out}. */
  public void sign(byte[] message, int offset, int length, byte[] out, int outOffset) {
    Ed25519.sign(seed, 0, publicKey, 0, message, offset, length, out, outOffset);
  }

  @Override
  public String toString() {
    return "Ed25519Signer[" + agentPublicKey.fingerprint() + "]";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Ed25519Signer other && Arrays.equals(seed, other.seed);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(publicKey);
  }
}
