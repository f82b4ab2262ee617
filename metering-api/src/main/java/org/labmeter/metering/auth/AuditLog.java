package org.labmeter.metering.auth;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.labmeter.metering.registry.RegistryException;
import org.labmeter.metering.registry.Sql;

/**
 * The append-only audit log. This class only inserts and selects: there is no code path that
 * updates or deletes a line. Calls block on JDBC.
 */
public final class AuditLog {
  /** The largest page {@link #find} returns. */
  public static final int MAX_LIMIT = 1000;

  private final DataSource dataSource;

  public AuditLog(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /** What {@link #find} filters on; null fields do not filter. */
  public record Filter(Instant from, Instant to, String action, String tokenId) {
    public static final Filter ALL = new Filter(null, null, null, null);
  }

  public void append(AuditEntry e) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "INSERT INTO audit_log (at, token_id, role, action, target, outcome, status)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?)")) {
      ps.setTimestamp(1, Timestamp.from(e.at()));
      ps.setString(2, e.tokenId());
      ps.setString(3, e.role().name());
      ps.setString(4, e.action());
      ps.setString(5, e.target().length() > 500 ? e.target().substring(0, 500) : e.target());
      ps.setString(6, e.outcome());
      ps.setInt(7, e.status());
      ps.executeUpdate();
    } catch (SQLException ex) {
      throw new RegistryException("audit entry could not be written: " + ex.getMessage(), ex);
    }
  }

  /** Entries matching the filter, oldest first, from the {@code offset}-th on. */
  public List<AuditEntry> find(Filter f, int offset, int limit) {
    StringBuilder sql =
        new StringBuilder(
            "SELECT seq, at, token_id, role, action, target, outcome, status FROM audit_log"
                + " WHERE 1 = 1");
    List<Object> args = new ArrayList<>();
    if (f.from() != null) {
      sql.append(" AND at >= ?");
      args.add(Timestamp.from(f.from()));
    }
    if (f.to() != null) {
      sql.append(" AND at < ?");
      args.add(Timestamp.from(f.to()));
    }
    if (f.action() != null) {
      sql.append(" AND action = ?");
      args.add(f.action());
    }
    if (f.tokenId() != null) {
      sql.append(" AND token_id = ?");
      args.add(f.tokenId());
    }
    sql.append(" ORDER BY seq OFFSET ? ROWS FETCH NEXT ? ROWS ONLY");
    args.add(Math.max(0, offset));
    args.add(Math.max(1, Math.min(limit, MAX_LIMIT)));
    try {
      return Sql.query(
          dataSource,
          sql.toString(),
          ps -> {
            for (int i = 0; i < args.size(); i++) {
              ps.setObject(i + 1, args.get(i));
            }
          },
          rs ->
              new AuditEntry(
                  rs.getLong(1),
                  rs.getTimestamp(2).toInstant(),
                  rs.getString(3),
                  Role.valueOf(rs.getString(4)),
                  rs.getString(5),
                  rs.getString(6),
                  rs.getString(7),
                  rs.getInt(8)));
    } catch (SQLException e) {
      throw new RegistryException("audit query failed: " + e.getMessage(), e);
    }
  }
}
