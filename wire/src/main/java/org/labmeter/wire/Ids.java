package org.labmeter.wire;

/**
 * Agent and instrument ids appear as MQTT topic levels and as store tags, so they are restricted to
 * a safe alphabet: 1 to 64 characters of {@code [A-Za-z0-9._-]}.
 */
public final class Ids {
  static final int MAX_LENGTH = 64;

  private Ids() {}

  /**
   * Checked for every topic and every decoded batch, so by hand: a regular expression allocated a
   * matcher each time, a measurable share of the collector's garbage at fleet rates.
   */
  public static boolean isValid(String id) {
    if (id == null || id.isEmpty() || id.length() > MAX_LENGTH) {
      return false;
    }
    for (int i = 0; i < id.length(); i++) {
      if (!allowed(id.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  private static boolean allowed(char c) {
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || (c >= '0' && c <= '9')
        || c == '.'
        || c == '_'
        || c == '-';
  }

  public static String requireValid(String field, String id) {
    if (!isValid(id)) {
      throw new IllegalArgumentException(
          field + " must be 1..64 characters of [A-Za-z0-9._-], got '" + id + "'");
    }
    return id;
  }
}
