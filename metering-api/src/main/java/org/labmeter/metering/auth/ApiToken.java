package org.labmeter.metering.auth;

import java.time.Instant;

/**
 * A stored API token as administrators see it: never the secret, which exists only in the text
 * handed out once by {@link TokenStore#create}.
 *
 * @param revokedAt when it stopped working, or null while it works
 */
public record ApiToken(
    String id, Role role, String facilityId, String label, Instant createdAt, Instant revokedAt) {

  public boolean revoked() {
    return revokedAt != null;
  }

  public Principal principal() {
    return new Principal(id, role, facilityId);
  }
}
