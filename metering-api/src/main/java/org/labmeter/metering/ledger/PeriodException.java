package org.labmeter.metering.ledger;

/** A period request that cannot be carried out, with the kind of failure and the field at fault. */
public final class PeriodException extends RuntimeException {
  /** Why the request failed; decides the HTTP status. */
  public enum Kind {
    INVALID,
    NOT_FOUND,
    CONFLICT
  }

  private final Kind kind;
  private final String field;

  public PeriodException(Kind kind, String field, String message) {
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
