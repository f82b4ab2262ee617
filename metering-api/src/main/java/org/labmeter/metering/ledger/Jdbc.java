package org.labmeter.metering.ledger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/** The small JDBC plumbing the ledger and period stores share. */
final class Jdbc {
  interface Binder {
    void bind(PreparedStatement ps) throws SQLException;
  }

  interface Mapper<T> {
    T map(ResultSet rs) throws SQLException;
  }

  interface Work<T> {
    T run(Connection c) throws SQLException;
  }

  private final DataSource dataSource;

  Jdbc(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  <T> List<T> query(String sql, Binder binder, Mapper<T> mapper) {
    try (Connection c = dataSource.getConnection()) {
      return query(c, sql, binder, mapper);
    } catch (SQLException e) {
      throw new LedgerStoreException("query failed: " + e.getMessage(), e);
    }
  }

  static <T> List<T> query(Connection c, String sql, Binder binder, Mapper<T> mapper)
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

  /** Runs {@code work} in one transaction: all of its writes or none. */
  <T> T transaction(String what, Work<T> work) {
    try (Connection c = dataSource.getConnection()) {
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
    } catch (SQLException e) {
      throw new LedgerStoreException(what + " failed, nothing was written: " + e.getMessage(), e);
    }
  }

  static void setDate(PreparedStatement ps, int i, LocalDate d) throws SQLException {
    ps.setObject(i, d);
  }

  static LocalDate getDate(ResultSet rs, String column) throws SQLException {
    return rs.getObject(column, LocalDate.class);
  }

  static Timestamp now(java.time.Instant at) {
    return Timestamp.from(at);
  }
}
