package org.labmeter.metering.registry;

import java.time.Instant;
import java.util.List;

/** An agent as administrators review it: the key's fingerprint to compare, never a credential. */
public record AgentView(
    String id,
    String facilityId,
    String publicKey,
    String fingerprint,
    AgentEnrollment.Status status,
    List<String> instrumentIds,
    Instant createdAt) {}
