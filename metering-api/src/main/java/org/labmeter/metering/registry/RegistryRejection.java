package org.labmeter.metering.registry;

/**
 * A registry write refused for what was asked, not for a database failure: the input is invalid, a
 * referenced row is missing, or the id is taken. {@link #field()} names the input at fault.
 */
public final class RegistryRejection extends RuntimeException {
  /** Why the write was refused. */
  public enum Kind {
    INVALID,
    NOT_FOUND,
    CONFLICT
  }

  private final Kind kind;
  private final String field;

  public RegistryRejection(Kind kind, String field, String message) {
    super(message);
    this.kind = kind;
    this.field = field;
  }

  public Kind kind() {
    return kind;
  }

  public String field() {
    return field;
  }
}
