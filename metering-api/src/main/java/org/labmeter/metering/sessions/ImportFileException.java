package org.labmeter.metering.sessions;

/** A body that cannot be read as a session file at all: wrong encoding, broken CSV or JSON. */
final class ImportFileException extends Exception {
  private final String field;

  ImportFileException(String field, String message) {
    super(message);
    this.field = field;
  }

  /** The part of the request at fault: {@code body}, {@code charset} or a column name. */
  String field() {
    return field;
  }
}
