package org.labmeter.agent.config;

import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.labmeter.adapters.serial.InstrumentStatus;
import org.labmeter.adapters.serial.StatusParser;
import org.labmeter.adapters.serial.TextStatusParser;

/**
 * An instrument that prints a status line ({@code type: text-status}), on request or by itself.
 *
 * @param line the serial line
 * @param statusQuery sent once per period; {@code null} when the instrument prints by itself
 * @param pattern the reply pattern, with a named group holding the status word
 * @param group that group's name
 * @param values each status word and what it means
 * @param periodMillis sample period
 */
public record TextStatusSource(
    SerialLine line,
    String statusQuery,
    Pattern pattern,
    String group,
    Map<String, InstrumentStatus> values,
    long periodMillis)
    implements SerialSource {
  public static final String TYPE = "text-status";

  public TextStatusSource {
    if (line == null) {
      throw new InvalidConfigException("port", "missing; required, e.g. /dev/ttyUSB0");
    }
    if (statusQuery != null && statusQuery.isBlank()) {
      throw new InvalidConfigException(
          "query", "is blank; allowed: a query such as STATUS?, or leave it out");
    }
    if (pattern == null) {
      throw new InvalidConfigException("pattern", "missing; required, e.g. STATE=(?<state>\\w+)");
    }
    if (group == null || !pattern.pattern().contains("(?<" + group + ">")) {
      throw new InvalidConfigException(
          "group", "'" + group + "' is not a named group of the pattern " + pattern.pattern());
    }
    if (values == null || values.isEmpty()) {
      throw new InvalidConfigException(
          "values", "missing; required, e.g. {RUN: running, READY: idle, ERR: fault}");
    }
    values = Map.copyOf(values);
    InvalidConfigException.requireRange("periodMillis", periodMillis, 100, 3_600_000);
  }

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public Optional<String> identityQuery() {
    return Optional.empty();
  }

  @Override
  public Optional<String> pollQuery() {
    return Optional.ofNullable(statusQuery);
  }

  @Override
  public StatusParser parser() {
    return new TextStatusParser(pattern, group, values);
  }

  // Pattern has identity equality; compare configurations by the pattern's text.
  @Override
  public boolean equals(Object o) {
    return o instanceof TextStatusSource t
        && line.equals(t.line)
        && java.util.Objects.equals(statusQuery, t.statusQuery)
        && pattern.pattern().equals(t.pattern.pattern())
        && pattern.flags() == t.pattern.flags()
        && group.equals(t.group)
        && values.equals(t.values)
        && periodMillis == t.periodMillis;
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(
        line, statusQuery, pattern.pattern(), group, values, periodMillis);
  }
}
