package org.labmeter.launcher.demo;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import org.labmeter.metering.auth.Role;
import org.labmeter.metering.auth.TokenStore;

/**
 * The demo's administrator token: created randomly on the first start (there is no fixed default),
 * kept in a file of the data folder readable only by its owner, and reused while it still
 * authenticates. A copied or reset registry gets a new one.
 */
final class DemoAdminToken {
  private DemoAdminToken() {}

  static String readOrCreate(Path file, TokenStore tokens) {
    try {
      if (Files.exists(file)) {
        String existing = Files.readString(file, StandardCharsets.US_ASCII).trim();
        if (tokens.authenticate(existing).filter(p -> p.role() == Role.ADMIN).isPresent()) {
          return existing;
        }
        Files.delete(file);
      }
      String bearer = tokens.create(Role.ADMIN, null, "demo administrator").bearer();
      Files.createFile(
          file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.writeString(file, bearer, StandardCharsets.US_ASCII, StandardOpenOption.WRITE);
      return bearer;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read or create the demo admin token " + file, e);
    }
  }
}
