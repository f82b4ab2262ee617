package org.labmeter.collector.auth;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import javax.sql.DataSource;
import org.labmeter.wire.AgentPublicKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads agents from the relational registry with plain SQL, so it works on H2 and PostgreSQL alike:
 *
 * <pre>
 * SELECT id, credential_hash, public_key, status FROM agent WHERE id = ?
 * SELECT instrument_id FROM agent_instrument WHERE agent_id = ?
 * </pre>
 *
 * {@code public_key} is the base64 of the 32-byte Ed25519 key; {@code status = 'APPROVED'} means
 * enabled. Answers (including "no such agent") are cached briefly so that a reconnect storm after a
 * network outage does not become a database storm; an approval or revocation therefore takes effect
 * within the cache time.
 */
public final class JdbcAgentDirectory implements AgentDirectory {
  private static final Logger LOG = LoggerFactory.getLogger(JdbcAgentDirectory.class);
  public static final Duration DEFAULT_CACHE_TTL = Duration.ofSeconds(10);

  private static final String AGENT_SQL =
      "SELECT id, credential_hash, public_key, status FROM agent WHERE id = ?";
  private static final String INSTRUMENTS_SQL =
      "SELECT instrument_id FROM agent_instrument WHERE agent_id = ?";

  private record Cached(Optional<AgentRecord> agent, long expiresAtNanos) {}

  private final DataSource dataSource;
  private final long ttlNanos;
  private final ConcurrentMap<String, Cached> cache = new ConcurrentHashMap<>();

  public JdbcAgentDirectory(DataSource dataSource) {
    this(dataSource, DEFAULT_CACHE_TTL);
  }

  /**
   * @param cacheTtl how long an answer is reused; {@link Duration#ZERO} disables the cache
   */
  public JdbcAgentDirectory(DataSource dataSource, Duration cacheTtl) {
    if (cacheTtl.isNegative()) {
      throw new IllegalArgumentException("cacheTtl must not be negative, got " + cacheTtl);
    }
    this.dataSource = dataSource;
    this.ttlNanos = cacheTtl.toNanos();
  }

  @Override
  public Optional<AgentRecord> find(String agentId) {
    long now = System.nanoTime();
    Cached cached = cache.get(agentId);
    if (cached != null && now - cached.expiresAtNanos() < 0) {
      return cached.agent();
    }
    Optional<AgentRecord> agent = load(agentId);
    if (ttlNanos > 0) {
      if (cache.size() > 100_000) {
        cache.clear();
      }
      cache.put(agentId, new Cached(agent, now + ttlNanos));
    }
    return agent;
  }

  /** Forgets cached answers, e.g. right after the registry changed an agent. */
  public void invalidate(String agentId) {
    cache.remove(agentId);
  }

  private Optional<AgentRecord> load(String agentId) {
    try (Connection connection = dataSource.getConnection()) {
      String credentialHash;
      String publicKey;
      String status;
      try (PreparedStatement agentQuery = connection.prepareStatement(AGENT_SQL)) {
        agentQuery.setString(1, agentId);
        try (ResultSet rs = agentQuery.executeQuery()) {
          if (!rs.next()) {
            return Optional.empty();
          }
          credentialHash = rs.getString("credential_hash");
          publicKey = rs.getString("public_key");
          status = rs.getString("status");
        }
      }
      Set<String> instruments = new HashSet<>();
      try (PreparedStatement instrumentQuery = connection.prepareStatement(INSTRUMENTS_SQL)) {
        instrumentQuery.setString(1, agentId);
        try (ResultSet rs = instrumentQuery.executeQuery()) {
          while (rs.next()) {
            instruments.add(rs.getString(1));
          }
        }
      }
      if (credentialHash == null || publicKey == null) {
        LOG.warn("Agent {} has no credential or public key in the registry; refusing it", agentId);
        return Optional.empty();
      }
      AgentPublicKey key;
      try {
        key = AgentPublicKey.ofBase64(publicKey);
      } catch (IllegalArgumentException e) {
        LOG.error(
            "Agent {} has an unusable public key in the registry ({}); refusing it",
            agentId,
            e.getMessage());
        return Optional.empty();
      }
      return Optional.of(
          new AgentRecord(agentId, credentialHash, key, instruments, "APPROVED".equals(status)));
    } catch (SQLException e) {
      throw new IllegalStateException("agent registry query failed: " + e.getMessage(), e);
    }
  }
}
