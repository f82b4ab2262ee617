package org.labmeter.collector.auth;

import java.util.Objects;
import java.util.Set;
import org.labmeter.wire.AgentPublicKey;
import org.labmeter.wire.Ids;

/**
 * What the registry knows about one agent: enough to authenticate its connection, authorise its
 * topics and check its signatures, and nothing else.
 *
 * @param agentId the agent's id, also its MQTT user name
 * @param credentialHash the stored {@link CredentialHash} of its MQTT password
 * @param publicKey the enrolled Ed25519 key its batches must verify with
 * @param instrumentIds instruments the agent may report on
 * @param enabled false until an administrator approves the agent, or after it is revoked
 */
public record AgentRecord(
    String agentId,
    String credentialHash,
    AgentPublicKey publicKey,
    Set<String> instrumentIds,
    boolean enabled) {

  public AgentRecord {
    Ids.requireValid("agentId", agentId);
    Objects.requireNonNull(credentialHash, "credentialHash");
    Objects.requireNonNull(publicKey, "publicKey");
    instrumentIds = Set.copyOf(instrumentIds);
  }

  /** Keeps the credential hash out of logs. */
  @Override
  public String toString() {
    return "AgentRecord[agentId="
        + agentId
        + ", key="
        + publicKey.fingerprint()
        + ", instruments="
        + instrumentIds
        + ", enabled="
        + enabled
        + "]";
  }
}
