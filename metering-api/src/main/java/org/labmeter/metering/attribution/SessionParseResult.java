package org.labmeter.metering.attribution;

import java.util.List;

/** The outcome of reading one text row as a {@link UsageSession}: the session, or why not. */
public sealed interface SessionParseResult {
  int row();

  /** The row was a valid session. */
  record Parsed(int row, UsageSession session) implements SessionParseResult {}

  /** The row was refused; every field at fault is listed, not only the first. */
  record Rejected(int row, List<FieldError> errors) implements SessionParseResult {
    public Rejected {
      errors = List.copyOf(errors);
    }
  }

  /**
   * One field at fault.
   *
   * @param row the row's index
   * @param field the field's name
   * @param value the text found ({@code null} when missing)
   * @param message a sentence naming the row, the field and the allowed values
   */
  record FieldError(int row, String field, String value, String message) {}
}
