package org.labmeter.metering.auth;

import java.time.Instant;

/**
 * One line of the audit log: who (token id and role) did what (action) to what (target, the request
 * path with its query) and how it ended.
 *
 * @param seq the log's own sequence number; 0 for an entry not yet written
 * @param outcome {@code ok}, {@code denied}, {@code rejected} (4xx) or {@code failed} (5xx)
 * @param status the HTTP status answered (0 for a command-line action)
 */
public record AuditEntry(
    long seq,
    Instant at,
    String tokenId,
    Role role,
    String action,
    String target,
    String outcome,
    int status) {

  /** The outcome word for an HTTP status. */
  public static String outcomeOf(int status) {
    if (status == 401 || status == 403) {
      return "denied";
    }
    if (status >= 500) {
      return "failed";
    }
    return status >= 400 ? "rejected" : "ok";
  }
}
