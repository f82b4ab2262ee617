package org.labmeter.metering.auth;

import java.util.Locale;
import java.util.Optional;

/**
 * What an API token may do. Staff tokens are scoped to one managing unit (facility); the others are
 * not scoped.
 */
public enum Role {
  /** Everything, including the registry, tokens and the audit log. */
  ADMIN,
  /** Reads and imports for the instruments of one managing unit. */
  FACILITY_STAFF,
  /** Read-only across facilities: verified hours, reports, evidence bundles. */
  EVALUATOR,
  /** May register a pending agent (fingerprint and public key) for an administrator to approve. */
  AGENT_ENROLLMENT;

  /**
   * Reads a role as the command line and the API write it: {@code admin}, {@code staff}, {@code
   * evaluator}, {@code enrollment}, or the constant's name in any case.
   */
  public static Optional<Role> parse(String text) {
    if (text == null) {
      return Optional.empty();
    }
    return switch (text.trim().toLowerCase(Locale.ROOT)) {
      case "admin" -> Optional.of(ADMIN);
      case "staff", "facility_staff" -> Optional.of(FACILITY_STAFF);
      case "evaluator" -> Optional.of(EVALUATOR);
      case "enrollment", "agent_enrollment" -> Optional.of(AGENT_ENROLLMENT);
      default -> Optional.empty();
    };
  }
}
