package org.labmeter.metering.sessions;

/**
 * Something an import stored but that staff should look at: a session that overlaps another of the
 * same kind on the same instrument (a double booking). Both are kept; attribution gives each ACTIVE
 * millisecond to only one of them and reports the overlap again as an issue.
 *
 * @param row 1-based number of the imported session in the file
 * @param sessionId the imported session
 * @param otherSessionId the session it overlaps, from the same file or stored earlier
 * @param message a sentence naming both sessions and their times
 */
public record ImportWarning(int row, String sessionId, String otherSessionId, String message) {}
