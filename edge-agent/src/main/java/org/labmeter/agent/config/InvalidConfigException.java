package org.labmeter.agent.config;

import org.labmeter.wire.Ids;

/**
 * One configuration value is wrong. Carries the field path relative to the record that refused it,
 * so the loader can prefix the path of that record in the file.
 */
public final class InvalidConfigException extends IllegalArgumentException {
  private final String field;
  private final String problem;

  public InvalidConfigException(String field, String problem) {
    super(field + ": " + problem);
    this.field = field;
    this.problem = problem;
  }

  /** Path of the field, e.g. {@code maxSamples} or {@code instruments[1].id}. */
  public String field() {
    return field;
  }

  /** What is wrong and what is allowed. */
  public String problem() {
    return problem;
  }

  static void requireRange(String field, long value, long min, long max) {
    if (value < min || value > max) {
      throw new InvalidConfigException(
          field, value + " is out of range; allowed: " + min + ".." + max);
    }
  }

  static String requireId(String field, String value) {
    if (!Ids.isValid(value)) {
      throw new InvalidConfigException(
          field,
          (value == null ? "missing" : "'" + value + "' is not a valid id")
              + "; allowed: 1..64 characters of [A-Za-z0-9._-]");
    }
    return value;
  }
}
