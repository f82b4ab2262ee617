/**
 * Usage sessions kept in the registry database: {@link
 * org.labmeter.metering.sessions.SessionRepository} reads and writes the {@code usage_session}
 * table, and {@link org.labmeter.metering.sessions.SessionImporter} turns an uploaded CSV or JSON
 * file into sessions, all rows or none, reporting every bad field of every row. Rows are read with
 * the attribution package's {@link org.labmeter.metering.attribution.UsageSessionParser}, so an
 * import accepts exactly what attribution understands. No Vert.x types; every call blocks on JDBC.
 */
package org.labmeter.metering.sessions;
