package org.labmeter.metering.auth;

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
  AGENT_ENROLLMENT
}
