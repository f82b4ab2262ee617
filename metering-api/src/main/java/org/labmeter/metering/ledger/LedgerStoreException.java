package org.labmeter.metering.ledger;

/** A ledger, period or snapshot table could not be read or written. */
public final class LedgerStoreException extends RuntimeException {
  public LedgerStoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
