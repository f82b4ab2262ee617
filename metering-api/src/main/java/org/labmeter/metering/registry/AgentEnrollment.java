package org.labmeter.metering.registry;

import java.util.Set;
import org.labmeter.wire.AgentPublicKey;
import org.labmeter.wire.Ids;

/**
 * An agent as enrolled in the registry: its public key (never its private key), the hash of its
 * MQTT credential, its approval status and the instruments it may report on.
 */
public record AgentEnrollment(
    String id,
    String facilityId,
    AgentPublicKey publicKey,
    String credentialHash,
    Status status,
    Set<String> instrumentIds) {

  public enum Status {
    PENDING,
    APPROVED,
    REVOKED
  }

  public AgentEnrollment {
    Ids.requireValid("agent.id", id);
    Ids.requireValid("agent.facilityId", facilityId);
    instrumentIds = Set.copyOf(instrumentIds);
  }
}
