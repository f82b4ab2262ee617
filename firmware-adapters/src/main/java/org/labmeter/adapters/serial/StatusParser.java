package org.labmeter.adapters.serial;

/**
 * Turns one reply line (terminator removed) into a status. Implementations are pure and immutable,
 * so one can be shared by any thread.
 */
public interface StatusParser {

  StatusReply parse(String line);
}
