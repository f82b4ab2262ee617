package org.labmeter.metering.registry;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * The one JDBC read loop the relational-store repositories share; callers name their own failure.
 */
public final class Sql {
  private Sql() {}

  /** Sets a statement's parameters. */
  @FunctionalInterface
  public interface Binder {
    void bind(PreparedStatement ps) throws SQLException;
  }

  /** Turns the current row into a value. */
  @FunctionalInterface
  public interface RowMapper<T> {
    T map(ResultSet rs) throws SQLException;
  }

  /** Runs a query on a pooled connection and maps every row. */
  public static <T> List<T> query(DataSource ds, String sql, Binder binder, RowMapper<T> mapper)
      throws SQLException {
    try (Connection c = ds.getConnection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      binder.bind(ps);
      try (ResultSet rs = ps.executeQuery()) {
        List<T> out = new ArrayList<>();
        while (rs.next()) {
          out.add(mapper.map(rs));
        }
        return out;
      }
    }
  }

  /** Work done on one connection inside a transaction. */
  @FunctionalInterface
  public interface Work<T> {
    T run(Connection c) throws SQLException;
  }

  /** Runs {@code work} in one transaction: all of its writes or none. */
  public static <T> T transaction(DataSource ds, Work<T> work) throws SQLException {
    try (Connection c = ds.getConnection()) {
      boolean auto = c.getAutoCommit();
      c.setAutoCommit(false);
      try {
        T result = work.run(c);
        c.commit();
        return result;
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      } finally {
        c.setAutoCommit(auto);
      }
    }
  }

  /**
   * Whether a write failed on a primary key or unique constraint (SQLSTATE 23505, H2 and
   * PostgreSQL).
   */
  public static boolean duplicateKey(SQLException e) {
    for (SQLException x = e; x != null; x = x.getNextException()) {
      if ("23505".equals(x.getSQLState())) {
        return true;
      }
    }
    return false;
  }

  /** Runs a query on a given connection (inside a transaction) and maps every row. */
  public static <T> List<T> query(Connection c, String sql, Binder binder, RowMapper<T> mapper)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      binder.bind(ps);
      try (ResultSet rs = ps.executeQuery()) {
        List<T> out = new ArrayList<>();
        while (rs.next()) {
          out.add(mapper.map(rs));
        }
        return out;
      }
    }
  }
}
