package org.labmeter.metering.registry;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * New MQTT credentials for agents, hashed in the format the collector checks ({@code
 * pbkdf2-sha256$<iterations>$<saltB64>$<hashB64>}, PBKDF2-HMAC-SHA256). Only the hash is stored;
 * the secret is shown once.
 */
public final class AgentCredentials {
  /** The collector's default work factor (OWASP 2023 for PBKDF2-HMAC-SHA256). */
  public static final int ITERATIONS = 600_000;

  private static final SecureRandom RANDOM = new SecureRandom();

  private AgentCredentials() {}

  /** A new random secret: 32 bytes, base64url. */
  public static String newSecret() {
    byte[] b = new byte[32];
    RANDOM.nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  public static String hash(String secret, int iterations) {
    byte[] salt = new byte[16];
    RANDOM.nextBytes(salt);
    PBEKeySpec spec = new PBEKeySpec(secret.toCharArray(), salt, iterations, 256);
    try {
      byte[] hash =
          SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
      Base64.Encoder b64 = Base64.getEncoder();
      return "pbkdf2-sha256$"
          + iterations
          + "$"
          + b64.encodeToString(salt)
          + "$"
          + b64.encodeToString(hash);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("PBKDF2WithHmacSHA256 is required by every Java runtime", e);
    } finally {
      spec.clearPassword();
    }
  }

  /** The hash of a secret nobody holds: a pending agent has a credential that cannot log in. */
  static String unusable() {
    return hash(newSecret(), 1_000);
  }
}
