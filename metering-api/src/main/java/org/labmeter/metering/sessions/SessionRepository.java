package org.labmeter.metering.sessions;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.sql.DataSource;
import org.labmeter.metering.attribution.PurposeCategory;
import org.labmeter.metering.attribution.ServiceDirection;
import org.labmeter.metering.attribution.ServiceWay;
import org.labmeter.metering.attribution.SessionKind;
import org.labmeter.metering.attribution.UsageSession;
import org.labmeter.metering.registry.Sql;

/**
 * Reads and writes the {@code usage_session} table (H2 or PostgreSQL). An import is written in one
 * transaction: all of its sessions or none. Every method blocks on JDBC, so callers on an event
 * loop must call it from a worker.
 */
public final class SessionRepository {
  /** Ids per {@code IN (...)} list and rows per JDBC batch. */
  private static final int CHUNK = 500;

  private static final String COLUMNS =
      "instrument_id, id, kind, start_ms, end_ms, user_name, user_entity_id, service_way,"
          + " direction, purpose, funding, fee, voucher_id, voucher_redeemed, invoiced, prep_ms,"
          + " post_ms, source, imported_at";

  private final DataSource dataSource;

  public SessionRepository(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /**
   * Stores every session of one import in one transaction.
   *
   * @return the number of sessions stored
   * @throws SessionStoreException when any row is refused (then none is stored); {@link
   *     SessionStoreException#duplicateKey()} tells a session id that is already stored
   */
  public int insertAll(
      String instrumentId, List<UsageSession> sessions, String source, Instant importedAt) {
    try (Connection c = dataSource.getConnection()) {
      boolean auto = c.getAutoCommit();
      c.setAutoCommit(false);
      try (PreparedStatement ps =
          c.prepareStatement(
              "INSERT INTO usage_session ("
                  + COLUMNS
                  + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
        Timestamp at = Timestamp.from(importedAt);
        int pending = 0;
        for (UsageSession s : sessions) {
          bind(ps, instrumentId, s, source, at);
          ps.addBatch();
          if (++pending == CHUNK) {
            ps.executeBatch();
            pending = 0;
          }
        }
        if (pending > 0) {
          ps.executeBatch();
        }
        c.commit();
        return sessions.size();
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      } finally {
        c.setAutoCommit(auto);
      }
    } catch (SQLException e) {
      throw new SessionStoreException(
          "storing "
              + sessions.size()
              + " sessions of instrument "
              + instrumentId
              + " failed, none was stored: "
              + e.getMessage(),
          e,
          isDuplicateKey(e));
    }
  }

  /** Which of {@code ids} are already stored for the instrument. */
  public Set<String> existingIds(String instrumentId, Collection<String> ids) {
    List<String> all = new ArrayList<>(ids);
    Set<String> found = new HashSet<>();
    for (int from = 0; from < all.size(); from += CHUNK) {
      List<String> chunk = all.subList(from, Math.min(all.size(), from + CHUNK));
      String marks = String.join(", ", Collections.nCopies(chunk.size(), "?"));
      found.addAll(
          query(
              "SELECT id FROM usage_session WHERE instrument_id = ? AND id IN (" + marks + ")",
              ps -> {
                ps.setString(1, instrumentId);
                for (int i = 0; i < chunk.size(); i++) {
                  ps.setString(i + 2, chunk.get(i));
                }
              },
              rs -> rs.getString(1)));
    }
    return found;
  }

  /**
   * The instrument's sessions that overlap [fromMillis, toMillis), by start, then id: the order in
   * which the attribution engine numbers them.
   */
  public List<StoredSession> inWindow(String instrumentId, long fromMillis, long toMillis) {
    return query(
        "SELECT "
            + COLUMNS
            + " FROM usage_session WHERE instrument_id = ? AND start_ms < ? AND end_ms > ?"
            + " ORDER BY start_ms, id",
        ps -> {
          ps.setString(1, instrumentId);
          ps.setLong(2, toMillis);
          ps.setLong(3, fromMillis);
        },
        SessionRepository::stored);
  }

  /** How many sessions are stored for the instrument. */
  public long count(String instrumentId) {
    return query(
            "SELECT COUNT(*) FROM usage_session WHERE instrument_id = ?",
            ps -> ps.setString(1, instrumentId),
            rs -> rs.getLong(1))
        .get(0);
  }

  private static void bind(
      PreparedStatement ps, String instrumentId, UsageSession s, String source, Timestamp at)
      throws SQLException {
    ps.setString(1, instrumentId);
    ps.setString(2, s.id());
    ps.setString(3, s.kind().name());
    ps.setLong(4, s.startMillis());
    ps.setLong(5, s.endMillis());
    ps.setString(6, s.user());
    ps.setString(7, s.userEntityId());
    ps.setString(8, s.serviceWay().name());
    ps.setString(9, s.direction().name());
    ps.setString(10, s.purpose().name());
    ps.setString(11, s.funding());
    ps.setBigDecimal(12, s.fee());
    ps.setString(13, s.voucherId());
    ps.setBoolean(14, s.voucherRedeemed());
    ps.setBoolean(15, s.invoiced());
    ps.setLong(16, s.prepMillis());
    ps.setLong(17, s.postMillis());
    ps.setString(18, source);
    ps.setTimestamp(19, at);
  }

  private static StoredSession stored(ResultSet rs) throws SQLException {
    UsageSession s =
        new UsageSession(
            rs.getString(2),
            SessionKind.valueOf(rs.getString(3)),
            rs.getLong(4),
            rs.getLong(5),
            rs.getString(6),
            rs.getString(7),
            ServiceWay.valueOf(rs.getString(8)),
            ServiceDirection.valueOf(rs.getString(9)),
            PurposeCategory.valueOf(rs.getString(10)),
            rs.getString(11),
            rs.getBigDecimal(12),
            rs.getString(13),
            rs.getBoolean(14),
            rs.getBoolean(15),
            rs.getLong(16),
            rs.getLong(17));
    return new StoredSession(rs.getString(1), s, rs.getString(18), rs.getTimestamp(19).toInstant());
  }

  /** SQLState 23505 is "unique violation" in both H2 and PostgreSQL. */
  private static boolean isDuplicateKey(SQLException e) {
    for (SQLException x = e; x != null; x = x.getNextException()) {
      if ("23505".equals(x.getSQLState())) {
        return true;
      }
    }
    return e.getCause() instanceof SQLException cause && "23505".equals(cause.getSQLState());
  }

  private <T> List<T> query(String sql, Sql.Binder binder, Sql.RowMapper<T> mapper) {
    try {
      return Sql.query(dataSource, sql, binder, mapper);
    } catch (SQLException e) {
      throw new SessionStoreException("session query failed: " + e.getMessage(), e, false);
    }
  }
}
