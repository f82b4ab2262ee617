package org.labmeter.collector.config;

/**
 * A configuration value the collector refuses to start with. Carries the field so that a file
 * loader can point at the exact key a person has to fix.
 */
public final class ConfigException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final String field;

  public ConfigException(String field, String message) {
    super(field + ": " + message);
    this.field = field;
  }

  ConfigException(String field, String message, Throwable cause) {
    super(message, cause);
    this.field = field;
  }

  /** The builder field (or file key) the problem is about. */
  public String field() {
    return field;
  }
}
