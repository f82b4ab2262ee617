package org.labmeter.metering.sessions;

import java.util.Locale;
import java.util.Optional;

/** The file formats an import accepts, by media type. */
public enum ImportFormat {
  /** A header row of field names, then one session per row. */
  CSV,
  /** An array of objects keyed by field name. */
  JSON;

  /** The format for a Content-Type's media type (parameters ignored), or empty when none fits. */
  public static Optional<ImportFormat> ofMediaType(String contentType) {
    if (contentType == null) {
      return Optional.empty();
    }
    String type = contentType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
    return switch (type) {
      case "text/csv", "application/csv" -> Optional.of(CSV);
      case "application/json" -> Optional.of(JSON);
      default -> Optional.empty();
    };
  }

  /** The {@code charset} parameter of a Content-Type, or null when it has none. */
  public static String charsetOf(String contentType) {
    if (contentType == null) {
      return null;
    }
    String[] parts = contentType.split(";");
    for (int i = 1; i < parts.length; i++) {
      String[] kv = parts[i].split("=", 2);
      if (kv.length == 2 && kv[0].strip().equalsIgnoreCase("charset")) {
        return kv[1].strip().replace("\"", "");
      }
    }
    return null;
  }
}
