package org.labmeter.metering.registry;

/** A registry operation failed in the relational store; the message says which and why. */
public final class RegistryException extends RuntimeException {
  public RegistryException(String message, Throwable cause) {
    super(message, cause);
  }
}
