package org.labmeter.collector.store;

/** A store write that did not succeed; the batch must not be acknowledged. */
public final class StoreWriteException extends Exception {
  private static final long serialVersionUID = 1L;

  public StoreWriteException(String message, Throwable cause) {
    super(message, cause);
  }
}
