package org.labmeter.launcher.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * An agent's MQTT credential in a file readable only by its owner: the agent reads it through
 * {@code mqtt.passwordFile}; the registry keeps only its PBKDF2 hash.
 */
public final class CredentialFile {
  private CredentialFile() {}

  /** Reads the secret in {@code file}, or creates one (192 random bits) when there is none. */
  public static String readOrCreate(Path file) {
    try {
      if (Files.exists(file)) {
        return Files.readString(file, StandardCharsets.US_ASCII).trim();
      }
      byte[] raw = new byte[24];
      new SecureRandom().nextBytes(raw);
      String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
      Path parent = file.toAbsolutePath().getParent();
      Files.createDirectories(parent);
      Files.createFile(
          file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.writeString(file, secret, StandardCharsets.US_ASCII);
      return secret;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read or create the agent credential " + file, e);
    }
  }
}
