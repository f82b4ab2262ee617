package org.labmeter.metering.registry;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;
import org.labmeter.wire.AgentPublicKey;

/**
 * The enrolment flow, shared by the command line and the API: an agent is registered PENDING with
 * its public key (it cannot log in: its credential is the hash of a secret nobody holds); an
 * administrator compares the fingerprint, approves it for instruments of its managing unit and gets
 * its MQTT password once; the collector accepts only APPROVED agents. Calls block on JDBC.
 */
public final class AgentRegistry {
  private final Registry registry;
  private final DataSource dataSource;
  private final int iterations;

  /**
   * @param iterations PBKDF2 work factor of new credentials ({@link AgentCredentials#ITERATIONS})
   */
  public AgentRegistry(Registry registry, int iterations) {
    this.registry = registry;
    this.dataSource = registry.dataSource();
    this.iterations = iterations;
  }

  public AgentRegistry(Registry registry) {
    this(registry, AgentCredentials.ITERATIONS);
  }

  /** Registers a pending agent with no instruments. */
  public AgentView enrollPending(String id, String facilityId, AgentPublicKey key) {
    if (registry.facility(facilityId).isEmpty()) {
      throw new RegistryRejection(
          RegistryRejection.Kind.NOT_FOUND,
          "facilityId",
          "no facility with id '" + facilityId + "'");
    }
    if (registry.agentExists(id)) {
      throw new RegistryRejection(
          RegistryRejection.Kind.CONFLICT, "id", "agent '" + id + "' is already enrolled");
    }
    registry.enrollAgent(
        new AgentEnrollment(
            id,
            facilityId,
            key,
            AgentCredentials.unusable(),
            AgentEnrollment.Status.PENDING,
            Set.of()));
    return agent(id).orElseThrow();
  }

  /**
   * Approves a pending agent for instruments of its own managing unit and sets a new MQTT password.
   *
   * @param fingerprint the fingerprint the administrator compared with the one the agent printed
   */
  public AgentApproval approve(String id, String fingerprint, List<String> instrumentIds) {
    AgentView a =
        agent(id)
            .orElseThrow(
                () ->
                    new RegistryRejection(
                        RegistryRejection.Kind.NOT_FOUND, "id", "no agent with id '" + id + "'"));
    if (a.status() != AgentEnrollment.Status.PENDING) {
      throw new RegistryRejection(
          RegistryRejection.Kind.CONFLICT, "id", "agent '" + id + "' is " + a.status());
    }
    if (fingerprint == null || !fingerprint.equals(a.fingerprint())) {
      throw new RegistryRejection(
          RegistryRejection.Kind.INVALID,
          "fingerprint",
          "fingerprint does not match the agent's public key; compare it with the agent's own");
    }
    if (instrumentIds == null || instrumentIds.isEmpty()) {
      throw new RegistryRejection(
          RegistryRejection.Kind.INVALID, "instrumentIds", "name at least one instrument");
    }
    for (String instrumentId : instrumentIds) {
      Optional<Instrument> i = registry.instrument(instrumentId);
      if (i.isEmpty() || !i.get().facilityId().equals(a.facilityId())) {
        throw new RegistryRejection(
            RegistryRejection.Kind.INVALID,
            "instrumentIds",
            "instrument '" + instrumentId + "' is not an instrument of " + a.facilityId());
      }
    }
    String secret = AgentCredentials.newSecret();
    String hash = AgentCredentials.hash(secret, iterations);
    write(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "UPDATE agent SET status = 'APPROVED', credential_hash = ?"
                      + " WHERE id = ? AND status = 'PENDING'")) {
            ps.setString(1, hash);
            ps.setString(2, id);
            if (ps.executeUpdate() != 1) {
              throw new RegistryRejection(
                  RegistryRejection.Kind.CONFLICT, "id", "agent '" + id + "' is no longer pending");
            }
          }
          // the approval decides the binding, whatever a pending enrolment proposed
          try (PreparedStatement ps =
              c.prepareStatement("DELETE FROM agent_instrument WHERE agent_id = ?")) {
            ps.setString(1, id);
            ps.executeUpdate();
          }
          try (PreparedStatement ps =
              c.prepareStatement(
                  "INSERT INTO agent_instrument (agent_id, instrument_id) VALUES (?, ?)")) {
            for (String instrumentId : new LinkedHashSet<>(instrumentIds)) {
              ps.setString(1, id);
              ps.setString(2, instrumentId);
              ps.addBatch();
            }
            ps.executeBatch();
          }
          return null;
        });
    return new AgentApproval(agent(id).orElseThrow(), secret);
  }

  /** Revokes an agent: the collector refuses it from its next directory lookup on. */
  public AgentView revoke(String id) {
    write(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement("UPDATE agent SET status = 'REVOKED' WHERE id = ?")) {
            ps.setString(1, id);
            if (ps.executeUpdate() != 1) {
              throw new RegistryRejection(
                  RegistryRejection.Kind.NOT_FOUND, "id", "no agent with id '" + id + "'");
            }
          }
          return null;
        });
    return agent(id).orElseThrow();
  }

  public List<AgentView> agents() {
    return read("SELECT id FROM agent ORDER BY id", ps -> {}).stream()
        .map(id -> agent(id).orElseThrow())
        .toList();
  }

  public Optional<AgentView> agent(String id) {
    try {
      List<String> instruments =
          Sql.query(
              dataSource,
              "SELECT instrument_id FROM agent_instrument WHERE agent_id = ? ORDER BY instrument_id",
              ps -> ps.setString(1, id),
              rs -> rs.getString(1));
      return Sql.query(
              dataSource,
              "SELECT id, facility_id, public_key, fingerprint, status, created_at FROM agent"
                  + " WHERE id = ?",
              ps -> ps.setString(1, id),
              rs ->
                  new AgentView(
                      rs.getString(1),
                      rs.getString(2),
                      rs.getString(3),
                      rs.getString(4),
                      AgentEnrollment.Status.valueOf(rs.getString(5)),
                      instruments,
                      rs.getTimestamp(6).toInstant()))
          .stream()
          .findFirst();
    } catch (SQLException e) {
      throw new RegistryException("agent query failed: " + e.getMessage(), e);
    }
  }

  private List<String> read(String sql, Sql.Binder binder) {
    try {
      return Sql.query(dataSource, sql, binder, rs -> rs.getString(1));
    } catch (SQLException e) {
      throw new RegistryException("agent query failed: " + e.getMessage(), e);
    }
  }

  private void write(Sql.Work<Void> work) {
    try {
      Sql.transaction(dataSource, work);
    } catch (SQLException e) {
      throw new RegistryException("agent write failed: " + e.getMessage(), e);
    }
  }
}
