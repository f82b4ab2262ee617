package org.labmeter.metering.sessions;

import java.util.Map;

/**
 * One session's fields as text, before parsing.
 *
 * @param row 1-based number of the session in the file (the first data row after a CSV header is 1)
 * @param line the file line the row starts on (CSV; the header is line 1), or 0 for JSON
 * @param fields field name to text; a missing field is absent
 */
record ImportRow(int row, int line, Map<String, String> fields) {}
