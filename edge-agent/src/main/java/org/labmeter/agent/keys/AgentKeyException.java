package org.labmeter.agent.keys;

/** The agent's key file is missing when it must exist, unreadable, or not a key. */
public final class AgentKeyException extends RuntimeException {
  public AgentKeyException(String message) {
    super(message);
  }

  public AgentKeyException(String message, Throwable cause) {
    super(message, cause);
  }
}
