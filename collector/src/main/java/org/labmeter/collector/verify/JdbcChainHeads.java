package org.labmeter.collector.verify;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import javax.sql.DataSource;
import org.labmeter.wire.BatchHash;

/**
 * Chain heads in the relational store, table {@code chain_head(agent_id, instrument_id, seq, hash,
 * updated_at)}. Writes are UPDATE-then-INSERT in one transaction, which H2 and PostgreSQL both run
 * without a vendor-specific upsert. Heads are cached after the first read: one collector owns an
 * agent's chains at a time (its worker shard), so the cache cannot go stale under it.
 */
public final class JdbcChainHeads implements ChainHeads {

  /** Portable DDL; the registry's migrations may create the same table instead. */
  public static final String DDL =
      "CREATE TABLE IF NOT EXISTS chain_head ("
          + "agent_id VARCHAR(64) NOT NULL, "
          + "instrument_id VARCHAR(64) NOT NULL, "
          + "seq BIGINT NOT NULL, "
          + "hash VARCHAR(64) NOT NULL, "
          + "updated_at TIMESTAMP NOT NULL, "
          + "PRIMARY KEY (agent_id, instrument_id))";

  private static final String SELECT =
      "SELECT seq, hash FROM chain_head WHERE agent_id = ? AND instrument_id = ?";
  private static final String UPDATE =
      "UPDATE chain_head SET seq = ?, hash = ?, updated_at = ? "
          + "WHERE agent_id = ? AND instrument_id = ?";
  private static final String INSERT =
      "INSERT INTO chain_head (agent_id, instrument_id, seq, hash, updated_at) "
          + "VALUES (?, ?, ?, ?, ?)";

  private final DataSource dataSource;
  private final Clock clock;
  private final ConcurrentMap<String, Optional<ChainHead>> cache = new ConcurrentHashMap<>();

  public JdbcChainHeads(DataSource dataSource) {
    this(dataSource, Clock.systemUTC());
  }

  public JdbcChainHeads(DataSource dataSource, Clock clock) {
    this.dataSource = dataSource;
    this.clock = clock;
  }

  /** Creates {@code chain_head} where no migration has. */
  public void createTableIfMissing() {
    try (Connection c = dataSource.getConnection();
        Statement s = c.createStatement()) {
      s.execute(DDL);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create chain_head: " + e.getMessage(), e);
    }
  }

  @Override
  public Optional<ChainHead> find(String agentId, String instrumentId) {
    return cache.computeIfAbsent(key(agentId, instrumentId), k -> load(agentId, instrumentId));
  }

  @Override
  public void advance(String agentId, String instrumentId, ChainHead head) {
    try (Connection c = dataSource.getConnection()) {
      boolean autoCommit = c.getAutoCommit();
      c.setAutoCommit(false);
      try {
        Timestamp now = Timestamp.from(clock.instant());
        int updated;
        try (PreparedStatement update = c.prepareStatement(UPDATE)) {
          update.setLong(1, head.sequence());
          update.setString(2, head.hash().toHex());
          update.setTimestamp(3, now);
          update.setString(4, agentId);
          update.setString(5, instrumentId);
          updated = update.executeUpdate();
        }
        if (updated == 0) {
          try (PreparedStatement insert = c.prepareStatement(INSERT)) {
            insert.setString(1, agentId);
            insert.setString(2, instrumentId);
            insert.setLong(3, head.sequence());
            insert.setString(4, head.hash().toHex());
            insert.setTimestamp(5, now);
            insert.executeUpdate();
          }
        }
        c.commit();
      } catch (SQLException e) {
        c.rollback();
        throw e;
      } finally {
        c.setAutoCommit(autoCommit);
      }
    } catch (SQLException e) {
      // The batch is already stored: keep following the chain in this process even though the
      // persistent head lags; only a restart before the next successful advance would see a gap.
      cache.put(key(agentId, instrumentId), Optional.of(head));
      throw new IllegalStateException(
          "cannot store chain head of " + agentId + "/" + instrumentId + ": " + e.getMessage(), e);
    }
    cache.put(key(agentId, instrumentId), Optional.of(head));
  }

  /**
   * All heads in one transaction: one commit (one fsync of the database's log) per group of
   * publishes instead of one per chain. The UPDATEs go as one JDBC batch; chains without a row get
   * theirs in a second batch of INSERTs.
   */
  @Override
  public void advanceAll(Map<ChainId, ChainHead> heads) {
    if (heads.size() <= 1) {
      heads.forEach((chain, head) -> advance(chain.agentId(), chain.instrumentId(), head));
      return;
    }
    try (Connection c = dataSource.getConnection()) {
      boolean autoCommit = c.getAutoCommit();
      c.setAutoCommit(false);
      try {
        Timestamp now = Timestamp.from(clock.instant());
        List<Map.Entry<ChainId, ChainHead>> entries = new ArrayList<>(heads.entrySet());
        int[] updated;
        try (PreparedStatement update = c.prepareStatement(UPDATE)) {
          for (Map.Entry<ChainId, ChainHead> e : entries) {
            update.setLong(1, e.getValue().sequence());
            update.setString(2, e.getValue().hash().toHex());
            update.setTimestamp(3, now);
            update.setString(4, e.getKey().agentId());
            update.setString(5, e.getKey().instrumentId());
            update.addBatch();
          }
          updated = update.executeBatch();
        }
        List<Map.Entry<ChainId, ChainHead>> missing = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
          if (updated[i] == 0) {
            missing.add(entries.get(i));
          }
        }
        if (!missing.isEmpty()) {
          try (PreparedStatement insert = c.prepareStatement(INSERT)) {
            for (Map.Entry<ChainId, ChainHead> e : missing) {
              insert.setString(1, e.getKey().agentId());
              insert.setString(2, e.getKey().instrumentId());
              insert.setLong(3, e.getValue().sequence());
              insert.setString(4, e.getValue().hash().toHex());
              insert.setTimestamp(5, now);
              insert.addBatch();
            }
            insert.executeBatch();
          }
        }
        c.commit();
      } catch (SQLException e) {
        c.rollback();
        throw e;
      } finally {
        c.setAutoCommit(autoCommit);
      }
    } catch (SQLException e) {
      // as in advance: the batches are stored, keep following the chains in this process
      heads.forEach(
          (chain, head) ->
              cache.put(key(chain.agentId(), chain.instrumentId()), Optional.of(head)));
      throw new IllegalStateException(
          "cannot store the heads of " + heads.size() + " chains: " + e.getMessage(), e);
    }
    heads.forEach(
        (chain, head) -> cache.put(key(chain.agentId(), chain.instrumentId()), Optional.of(head)));
  }

  private Optional<ChainHead> load(String agentId, String instrumentId) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement select = c.prepareStatement(SELECT)) {
      select.setString(1, agentId);
      select.setString(2, instrumentId);
      try (ResultSet rs = select.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        return Optional.of(new ChainHead(rs.getLong(1), BatchHash.ofHex(rs.getString(2))));
      }
    } catch (SQLException e) {
      throw new IllegalStateException(
          "cannot read chain head of " + agentId + "/" + instrumentId + ": " + e.getMessage(), e);
    }
  }

  private static String key(String agentId, String instrumentId) {
    return agentId + '/' + instrumentId;
  }
}
