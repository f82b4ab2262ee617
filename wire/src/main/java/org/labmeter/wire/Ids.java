package org.labmeter.wire;

import java.util.regex.Pattern;

/**
 * Agent and instrument ids appear as MQTT topic levels and as store tags, so they are restricted to
 * a safe alphabet: 1 to 64 characters of {@code [A-Za-z0-9._-]}.
 */
public final class Ids {
  private static final Pattern VALID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

  private Ids() {}

  public static boolean isValid(String id) {
    return id != null && VALID.matcher(id).matches();
  }

  public static String requireValid(String field, String id) {
    if (!isValid(id)) {
      throw new IllegalArgumentException(
          field + " must be 1..64 characters of [A-Za-z0-9._-], got '" + id + "'");
    }
    return id;
  }
}
