package org.labmeter.agent.config;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.labmeter.adapters.serial.InstrumentStatus;

/** Reads a {@code type: scpi} or {@code type: text-status} source section. */
final class SerialSourceReader {
  private static final String[] LINE_FIELDS = {
    "type",
    "port",
    "baud",
    "dataBits",
    "parity",
    "stopBits",
    "flowControl",
    "terminator",
    "readTimeoutMillis",
    "pauseMillis",
    "reconnectMillis",
    "periodMillis"
  };

  private SerialSourceReader() {}

  static SourceConfig read(SectionReader s, String type) {
    boolean scpi = type.equals(ScpiSource.TYPE);
    s.allowOnly(
        concat(
            LINE_FIELDS,
            scpi
                ? new String[] {"statusQuery", "runningMask", "faultMask"}
                : new String[] {"query", "pattern", "group", "values"}));
    SerialLine line = line(s);
    long period = s.integer("periodMillis").orElse(1000L);
    return scpi ? scpi(s, line, period) : text(s, line, period);
  }

  private static SerialLine line(SectionReader s) {
    SerialLine d = SerialLine.defaults("/dev/ttyUSB0");
    Optional<String> port = s.requiredText("port", "/dev/ttyUSB0");
    long baud = s.integer("baud").orElse((long) d.baudRate());
    long dataBits = s.integer("dataBits").orElse((long) d.dataBits());
    String parity = s.text("parity").orElse(d.parity());
    long stopBits = s.integer("stopBits").orElse((long) d.stopBits());
    Optional<FlowControl> flow =
        named(
            s,
            "flowControl",
            d.flowControl(),
            FlowControl::fromConfigName,
            FlowControl.configNames());
    Optional<LineTerminator> terminator =
        named(
            s,
            "terminator",
            d.terminator(),
            LineTerminator::fromConfigName,
            LineTerminator.configNames());
    long readTimeout = s.integer("readTimeoutMillis").orElse(d.readTimeoutMillis());
    long pause = s.integer("pauseMillis").orElse(d.pauseMillis());
    long reconnect = s.integer("reconnectMillis").orElse(d.reconnectMillis());
    if (port.isEmpty() || flow.isEmpty() || terminator.isEmpty()) {
      return null;
    }
    return build(
        s,
        () ->
            new SerialLine(
                port.get(),
                clamp(baud),
                clamp(dataBits),
                parity,
                clamp(stopBits),
                flow.get(),
                terminator.get(),
                readTimeout,
                pause,
                reconnect));
  }

  private static SourceConfig scpi(SectionReader s, SerialLine line, long period) {
    Optional<String> query =
        s.requiredText("statusQuery", ":STATus:OPERation:CONDition? (or *STB?)");
    Optional<Integer> running = mask(s, "runningMask", true);
    Optional<Integer> fault = mask(s, "faultMask", false);
    if (line == null || query.isEmpty() || running.isEmpty() || fault.isEmpty()) {
      return null;
    }
    return build(s, () -> new ScpiSource(line, query.get(), running.get(), fault.get(), period));
  }

  private static SourceConfig text(SectionReader s, SerialLine line, long period) {
    String query = s.text("query").orElse(null);
    Optional<String> patternText = s.requiredText("pattern", "STATE=(?<state>\\w+)");
    Pattern pattern = null;
    if (patternText.isPresent()) {
      try {
        pattern = Pattern.compile(patternText.get());
      } catch (PatternSyntaxException e) {
        s.problem(
            "pattern",
            "not a regular expression ("
                + e.getDescription()
                + " at index "
                + e.getIndex()
                + "); allowed: java.util.regex syntax with a named group");
      }
    }
    Optional<String> group = s.requiredText("group", "state");
    Map<String, InstrumentStatus> values = values(s);
    if (line == null || pattern == null || group.isEmpty() || values == null) {
      return null;
    }
    Pattern p = pattern;
    return build(s, () -> new TextStatusSource(line, query, p, group.get(), values, period));
  }

  private static Map<String, InstrumentStatus> values(SectionReader s) {
    Optional<SectionReader> section = s.section("values", true);
    if (section.isEmpty()) {
      return null;
    }
    SectionReader v = section.get();
    Map<String, InstrumentStatus> out = new LinkedHashMap<>();
    boolean ok = true;
    for (String word : v.keys()) {
      Optional<String> name = v.text(word);
      Optional<InstrumentStatus> status = name.flatMap(InstrumentStatus::fromConfigName);
      if (status.isEmpty()) {
        if (name.isPresent()) {
          v.problem(
              word,
              "'"
                  + name.get()
                  + "' is not a status; allowed: "
                  + String.join(", ", InstrumentStatus.configNames()));
        }
        ok = false;
      } else {
        out.put(word, status.get());
      }
    }
    if (out.isEmpty() && ok) {
      s.problem("values", "empty; required, e.g. {RUN: running, READY: idle, ERR: fault}");
      return null;
    }
    return ok ? out : null;
  }

  /** A bit mask written as a decimal number or as {@code 0x...} text. */
  private static Optional<Integer> mask(SectionReader s, String key, boolean required) {
    if (!s.has(key)) {
      if (required) {
        s.problem(key, "missing; required, e.g. 16 or 0x10");
        return Optional.empty();
      }
      return Optional.of(0);
    }
    Optional<String> text = s.text(key);
    if (text.isEmpty()) {
      return Optional.empty();
    }
    String t = text.get().strip().toLowerCase(java.util.Locale.ROOT);
    try {
      long value = t.startsWith("0x") ? Long.parseLong(t.substring(2), 16) : Long.parseLong(t);
      if (value < 0 || value > Integer.MAX_VALUE) {
        s.problem(key, value + " is out of range; allowed: 0..2147483647 (0x7FFFFFFF)");
        return Optional.empty();
      }
      return Optional.of((int) value);
    } catch (NumberFormatException e) {
      s.problem(key, "'" + text.get() + "' is not a bit mask; allowed: e.g. 16 or 0x10");
      return Optional.empty();
    }
  }

  private static <T> Optional<T> named(
      SectionReader s,
      String key,
      T fallback,
      java.util.function.Function<String, Optional<T>> lookup,
      java.util.List<String> allowed) {
    Optional<String> name = s.text(key);
    if (name.isEmpty()) {
      return s.has(key) ? Optional.empty() : Optional.of(fallback);
    }
    Optional<T> found = lookup.apply(name.get());
    if (found.isEmpty()) {
      s.problem(key, "'" + name.get() + "' is not allowed; allowed: " + String.join(", ", allowed));
    }
    return found;
  }

  private static String[] concat(String[] a, String[] b) {
    String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  private static <T> T build(SectionReader s, Supplier<T> constructor) {
    try {
      return constructor.get();
    } catch (InvalidConfigException e) {
      s.problem(e);
      return null;
    }
  }

  private static int clamp(long v) {
    return (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, v));
  }
}
