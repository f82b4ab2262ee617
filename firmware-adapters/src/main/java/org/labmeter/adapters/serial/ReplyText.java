package org.labmeter.adapters.serial;

/** Checks and quoting of reply lines shared by the parsers. */
final class ReplyText {
  private static final int MAX_SHOWN = 80;

  private ReplyText() {}

  /** True when every character is printable ASCII or a tab. */
  static boolean printable(String line) {
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if ((c < 0x20 && c != '\t') || c > 0x7E) {
        return false;
      }
    }
    return true;
  }

  /** The line quoted for a log, control and non-ASCII characters as {@code \xNN}, cut at 80. */
  static String quote(String line) {
    StringBuilder out = new StringBuilder("'");
    for (int i = 0; i < line.length() && i < MAX_SHOWN; i++) {
      char c = line.charAt(i);
      if (c < 0x20 || c > 0x7E) {
        out.append(String.format("\\x%02X", (int) c & 0xFF));
      } else {
        out.append(c);
      }
    }
    if (line.length() > MAX_SHOWN) {
      out.append("...");
    }
    return out.append('\'').toString();
  }
}
