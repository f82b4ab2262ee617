package org.labmeter.metering.sessions;

/** A failed read or write of the session table, with whether a uniqueness rule refused it. */
public final class SessionStoreException extends RuntimeException {
  private final boolean duplicateKey;

  SessionStoreException(String message, Throwable cause, boolean duplicateKey) {
    super(message, cause);
    this.duplicateKey = duplicateKey;
  }

  /**
   * Whether the write broke the (instrument, session id) uniqueness rule, as when two imports of
   * the same ids race each other.
   */
  public boolean duplicateKey() {
    return duplicateKey;
  }
}
