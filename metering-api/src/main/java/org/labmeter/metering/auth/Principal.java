package org.labmeter.metering.auth;

import io.vertx.ext.web.RoutingContext;
import java.util.Objects;
import java.util.Optional;

/**
 * Who made a request: the token's id (never the secret), its role and, for facility staff, the
 * managing unit it is scoped to. The authentication handler puts it on the routing context under
 * {@link #CONTEXT_KEY}; routes read it with {@link #of(RoutingContext)}.
 *
 * @param tokenId the stored token's public id, for the audit log
 * @param role what the token may do
 * @param facilityId the managing unit of a {@link Role#FACILITY_STAFF} token; null otherwise
 */
public record Principal(String tokenId, Role role, String facilityId) {
  public static final String CONTEXT_KEY = "labmeter.principal";

  public Principal {
    Objects.requireNonNull(tokenId, "tokenId");
    Objects.requireNonNull(role, "role");
    if ((role == Role.FACILITY_STAFF) != (facilityId != null)) {
      throw new IllegalArgumentException("a facilityId is required for, and only for, staff");
    }
  }

  /** Whether this principal may read the data of instruments of the given managing unit. */
  public boolean canRead(String facility) {
    return switch (role) {
      case ADMIN, EVALUATOR -> true;
      case FACILITY_STAFF -> facilityId.equals(facility);
      case AGENT_ENROLLMENT -> false;
    };
  }

  /** The principal of an authenticated request; empty where no handler set one. */
  public static Optional<Principal> of(RoutingContext ctx) {
    return Optional.ofNullable(ctx.get(CONTEXT_KEY));
  }
}
