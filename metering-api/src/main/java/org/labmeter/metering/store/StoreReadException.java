package org.labmeter.metering.store;

/** The time-series store could not be read; the message names the instrument and the cause. */
public final class StoreReadException extends RuntimeException {
  public StoreReadException(String message, Throwable cause) {
    super(message, cause);
  }
}
