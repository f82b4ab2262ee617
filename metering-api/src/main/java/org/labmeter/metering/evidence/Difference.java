package org.labmeter.metering.evidence;

/**
 * One place where the offline result differs from the server's.
 *
 * @param field which number, e.g. {@code millis.ACTIVE} or {@code sessions[2].end}
 * @param server the server's value, as text
 * @param offline the verifier's value, as text
 * @param where the batch, sequence or sample time it comes from, or an empty string
 */
public record Difference(String field, String server, String offline, String where) {

  @Override
  public String toString() {
    return field
        + ": server "
        + server
        + ", offline "
        + offline
        + (where == null || where.isEmpty() ? "" : " (" + where + ")");
  }
}
