package org.labmeter.adapters.serial;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a free-text status line: a pattern with a named group picks the status word, and a mapping
 * says what each word means. Both come from the site configuration, because every maker prints
 * something different ({@code STATE=RUN}, {@code Status: Acquiring}, {@code #S,2}).
 *
 * <p>The pattern is searched anywhere in the line ({@link Matcher#find()}); anchor it with {@code
 * ^...$} when the whole line must match. The matched value is trimmed and looked up exactly (case
 * matters, as it does on the instrument's display).
 *
 * @param pattern the reply pattern
 * @param group the name of the group holding the status word
 * @param values each status word and what it means
 */
public record TextStatusParser(Pattern pattern, String group, Map<String, InstrumentStatus> values)
    implements StatusParser {

  public TextStatusParser {
    Objects.requireNonNull(pattern, "pattern");
    Objects.requireNonNull(group, "group");
    if (!pattern.pattern().contains("(?<" + group + ">")) {
      throw new IllegalArgumentException(
          "pattern: has no group named '"
              + group
              + "'; allowed: a pattern with (?<"
              + group
              + ">...)");
    }
    if (values == null || values.isEmpty()) {
      throw new IllegalArgumentException("values: at least one status word is required");
    }
    values = Map.copyOf(values);
  }

  @Override
  public StatusReply parse(String line) {
    if (!ReplyText.printable(line)) {
      return new StatusReply.Unusable(
          StatusReply.Unusable.GARBAGE, "unprintable reply " + ReplyText.quote(line));
    }
    Matcher m = pattern.matcher(line);
    if (!m.find() || m.group(group) == null) {
      return new StatusReply.Unusable(
          StatusReply.Unusable.UNMATCHED,
          ReplyText.quote(line) + " does not match " + pattern.pattern());
    }
    String word = m.group(group).strip();
    InstrumentStatus status = values.get(word);
    if (status == null) {
      return new StatusReply.Unusable(
          StatusReply.Unusable.UNMAPPED,
          "status '"
              + word
              + "' is not mapped; mapped: "
              + String.join(", ", new TreeMap<>(values).keySet()));
    }
    return new StatusReply.Known(status, group + "=" + word);
  }
}
