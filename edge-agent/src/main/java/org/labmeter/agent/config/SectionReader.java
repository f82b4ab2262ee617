package org.labmeter.agent.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Reads the fields of one YAML mapping and records every problem with its full path, so that one
 * run of the loader reports all mistakes in a file rather than the first one only.
 */
final class SectionReader {
  private final JsonNode node;
  private final String path;
  private final List<String> problems;

  SectionReader(JsonNode node, String path, List<String> problems) {
    this.node = node;
    this.path = path;
    this.problems = problems;
  }

  String path() {
    return path;
  }

  String fieldPath(String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  void problem(String field, String problem) {
    problems.add(fieldPath(field) + ": " + problem);
  }

  /** Records a record's own refusal under this section's path. */
  void problem(InvalidConfigException e) {
    problem(e.field(), e.problem());
  }

  /**
   * Reports keys that are not in {@code allowed}: usually a typo that would otherwise be ignored.
   */
  void allowOnly(String... allowed) {
    Set<String> known = Set.of(allowed);
    Iterator<String> names = node.fieldNames();
    while (names.hasNext()) {
      String name = names.next();
      if (!known.contains(name)) {
        problem(name, "unknown field; allowed: " + String.join(", ", allowed));
      }
    }
  }

  /** The keys of this mapping, in file order. */
  List<String> keys() {
    List<String> out = new ArrayList<>();
    node.fieldNames().forEachRemaining(out::add);
    return out;
  }

  boolean has(String key) {
    JsonNode value = node.get(key);
    return value != null && !value.isNull();
  }

  Optional<String> text(String key) {
    JsonNode value = node.get(key);
    if (value == null || value.isNull()) {
      return Optional.empty();
    }
    if (!value.isValueNode()) {
      problem(key, "expected a text value, got a " + describe(value));
      return Optional.empty();
    }
    return Optional.of(value.asText());
  }

  Optional<String> requiredText(String key, String example) {
    if (!has(key)) {
      problem(key, "missing; required" + (example.isEmpty() ? "" : ", e.g. " + example));
      return Optional.empty();
    }
    return text(key);
  }

  /** A list of text values; empty when absent, {@code null} when wrong (wrong is recorded). */
  List<String> textList(String key) {
    JsonNode value = node.get(key);
    List<String> out = new ArrayList<>();
    if (value == null || value.isNull()) {
      return out;
    }
    if (!value.isArray()) {
      problem(key, "expected a list, got a " + describe(value));
      return null;
    }
    for (int i = 0; i < value.size(); i++) {
      if (!value.get(i).isValueNode()) {
        problems.add(fieldPath(key) + "[" + i + "]: expected a text value");
        return null;
      }
      out.add(value.get(i).asText());
    }
    return out;
  }

  /** True or false; {@code Optional.empty()} when absent or wrong (wrong is recorded). */
  Optional<Boolean> bool(String key) {
    JsonNode value = node.get(key);
    if (value == null || value.isNull()) {
      return Optional.empty();
    }
    if (value.isBoolean()) {
      return Optional.of(value.asBoolean());
    }
    problem(key, "expected true or false, got '" + value.asText() + "'");
    return Optional.empty();
  }

  /** A whole number; {@code Optional.empty()} when absent or wrong (wrong is recorded). */
  Optional<Long> integer(String key) {
    JsonNode value = node.get(key);
    if (value == null || value.isNull()) {
      return Optional.empty();
    }
    if (value.isIntegralNumber() && value.canConvertToLong()) {
      return Optional.of(value.asLong());
    }
    problem(key, "expected a whole number, got '" + value.asText() + "'");
    return Optional.empty();
  }

  /** A number, whole or not; {@code Optional.empty()} when absent or wrong (wrong is recorded). */
  Optional<Double> number(String key) {
    JsonNode value = node.get(key);
    if (value == null || value.isNull()) {
      return Optional.empty();
    }
    if (value.isNumber() && Double.isFinite(value.asDouble())) {
      return Optional.of(value.asDouble());
    }
    problem(key, "expected a number, got '" + value.asText() + "'");
    return Optional.empty();
  }

  Optional<SectionReader> section(String key, boolean required) {
    JsonNode value = node.get(key);
    if (value == null || value.isNull()) {
      if (required) {
        problem(key, "missing; required section");
      }
      return Optional.empty();
    }
    if (!value.isObject()) {
      problem(key, "expected a mapping of fields, got a " + describe(value));
      return Optional.empty();
    }
    return Optional.of(new SectionReader(value, fieldPath(key), problems));
  }

  /** The mappings of a list; each reader's path is {@code key[i]}. */
  List<SectionReader> list(String key) {
    List<SectionReader> out = new ArrayList<>();
    JsonNode value = node.get(key);
    if (value == null || value.isNull()) {
      problem(key, "missing; at least one is required");
      return out;
    }
    if (!value.isArray()) {
      problem(key, "expected a list, got a " + describe(value));
      return out;
    }
    for (int i = 0; i < value.size(); i++) {
      String itemPath = fieldPath(key) + "[" + i + "]";
      JsonNode item = value.get(i);
      if (!item.isObject()) {
        problems.add(itemPath + ": expected a mapping of fields, got a " + describe(item));
        continue;
      }
      out.add(new SectionReader(item, itemPath, problems));
    }
    return out;
  }

  private static String describe(JsonNode value) {
    if (value.isArray()) {
      return "list";
    }
    if (value.isObject()) {
      return "mapping";
    }
    return "value '" + value.asText() + "'";
  }
}
