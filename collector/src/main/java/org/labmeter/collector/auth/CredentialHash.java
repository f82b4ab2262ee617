package org.labmeter.collector.auth;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.spec.KeySpec;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * A salted, slow hash of an agent's MQTT password, so that a copy of the registry does not hand out
 * working credentials. PBKDF2-HMAC-SHA256 from the JDK (no extra dependency), stored as {@code
 * pbkdf2-sha256$<iterations>$<saltB64>$<hashB64>} so that the iteration count can be raised later
 * without invalidating stored hashes. The registry stores {@link #encoded()}; the collector checks
 * with {@link #matches(char[])}.
 */
public final class CredentialHash {
  public static final String SCHEME = "pbkdf2-sha256";

  /** OWASP's 2023 recommendation for PBKDF2-HMAC-SHA256. */
  public static final int DEFAULT_ITERATIONS = 600_000;

  /** Below this a stored hash is refused as misconfigured. */
  public static final int MIN_ITERATIONS = 1_000;

  private static final int SALT_BYTES = 16;
  private static final int HASH_BYTES = 32;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final int iterations;
  private final byte[] salt;
  private final byte[] hash;

  private CredentialHash(int iterations, byte[] salt, byte[] hash) {
    this.iterations = iterations;
    this.salt = salt;
    this.hash = hash;
  }

  /** Hashes a new secret with a fresh salt and {@link #DEFAULT_ITERATIONS}. */
  public static CredentialHash create(char[] secret) {
    return create(secret, DEFAULT_ITERATIONS);
  }

  /** Hashes a new secret with a fresh salt; lower counts only make sense in tests. */
  public static CredentialHash create(char[] secret, int iterations) {
    if (iterations < MIN_ITERATIONS) {
      throw new IllegalArgumentException(
          "iterations must be at least " + MIN_ITERATIONS + ", got " + iterations);
    }
    if (secret.length == 0) {
      throw new IllegalArgumentException("an agent credential must not be empty");
    }
    byte[] salt = new byte[SALT_BYTES];
    RANDOM.nextBytes(salt);
    return new CredentialHash(iterations, salt, derive(secret, salt, iterations, HASH_BYTES));
  }

  /**
   * Reads a stored hash.
   *
   * @throws IllegalArgumentException when the text is not in the format above
   */
  public static CredentialHash parse(String encoded) {
    String[] parts = encoded == null ? new String[0] : encoded.split("\\$", -1);
    if (parts.length != 4 || !SCHEME.equals(parts[0])) {
      throw new IllegalArgumentException(
          "a credential hash reads " + SCHEME + "$<iterations>$<saltB64>$<hashB64>");
    }
    int iterations;
    try {
      iterations = Integer.parseInt(parts[1]);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("credential hash iterations are not a number");
    }
    if (iterations < MIN_ITERATIONS) {
      throw new IllegalArgumentException(
          "credential hash iterations must be at least " + MIN_ITERATIONS);
    }
    byte[] salt;
    byte[] hash;
    try {
      salt = Base64.getDecoder().decode(parts[2]);
      hash = Base64.getDecoder().decode(parts[3]);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("credential hash salt or hash is not base64", e);
    }
    if (salt.length == 0 || hash.length == 0) {
      throw new IllegalArgumentException("credential hash has an empty salt or hash");
    }
    return new CredentialHash(iterations, salt, hash);
  }

  /** Parses {@code encoded} and checks {@code secret} against it. */
  public static boolean matches(String encoded, char[] secret) {
    return parse(encoded).matches(secret);
  }

  /** Constant-time comparison of the derived key, so timing does not leak how much matched. */
  public boolean matches(char[] secret) {
    if (secret.length == 0) {
      return false;
    }
    byte[] candidate = derive(secret, salt, iterations, hash.length);
    return MessageDigest.isEqual(candidate, hash);
  }

  public int iterations() {
    return iterations;
  }

  /** The text to store in the registry. */
  public String encoded() {
    Base64.Encoder b64 = Base64.getEncoder();
    return SCHEME
        + "$"
        + iterations
        + "$"
        + b64.encodeToString(salt)
        + "$"
        + b64.encodeToString(hash);
  }

  private static byte[] derive(char[] secret, byte[] salt, int iterations, int length) {
    KeySpec spec = new PBEKeySpec(secret, salt, iterations, length * 8);
    try {
      return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("PBKDF2WithHmacSHA256 is required by every Java runtime", e);
    } finally {
      ((PBEKeySpec) spec).clearPassword();
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CredentialHash other
        && iterations == other.iterations
        && Arrays.equals(salt, other.salt)
        && Arrays.equals(hash, other.hash);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(salt) + Arrays.hashCode(hash);
  }

  /** Never prints the hash itself. */
  @Override
  public String toString() {
    return "CredentialHash[" + SCHEME + ", iterations=" + iterations + "]";
  }
}
