package org.labmeter.adapters.profile;

import java.util.List;
import java.util.Objects;
import org.labmeter.adapters.Reading;

/**
 * One field of a poll: the raw words as read (register order) and what they decode to, so that a
 * probe can show both and a wrong word order is visible at a glance.
 */
public record DecodedField(RegisterField field, List<Integer> rawWords, Reading reading) {

  public DecodedField {
    Objects.requireNonNull(field, "field");
    rawWords = List.copyOf(rawWords);
    Objects.requireNonNull(reading, "reading");
  }

  /** The raw words as hex, e.g. {@code 0x4366 0x8000}. */
  public String rawHex() {
    StringBuilder sb = new StringBuilder();
    for (int w : rawWords) {
      if (sb.length() > 0) {
        sb.append(' ');
      }
      sb.append(String.format("0x%04X", w));
    }
    return sb.toString();
  }
}
