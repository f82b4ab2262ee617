package org.labmeter.metering.sessions;

/**
 * One bad field of one row of an import.
 *
 * @param row 1-based number of the session in the file; 0 for the CSV header
 * @param line the CSV line the row starts on (the header is line 1); 0 for JSON
 * @param sessionId the row's session id as written, or null when it has none
 * @param field the field at fault, or null when the row as a whole is wrong
 * @param value the text found, or null
 * @param message a sentence naming the row, the field and what is allowed
 */
public record RowError(
    int row, int line, String sessionId, String field, String value, String message) {}
