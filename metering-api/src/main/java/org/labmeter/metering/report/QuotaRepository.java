package org.labmeter.metering.report;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalDouble;
import javax.sql.DataSource;
import org.labmeter.metering.ledger.LedgerStoreException;

/**
 * Reads and writes tables {@code quota_category} and {@code instrument_quota}. Blocks on JDBC. What
 * is read is validated by {@link QuotaPolicy}, so a bad row is refused with its table and field
 * named.
 */
public final class QuotaRepository {
  private final DataSource dataSource;

  public QuotaRepository(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /** The whole policy, in two queries. */
  public QuotaPolicy load() {
    Map<String, Double> categories = new HashMap<>();
    Map<String, QuotaPolicy.InstrumentQuota> instruments = new HashMap<>();
    try (Connection c = dataSource.getConnection()) {
      try (PreparedStatement ps =
              c.prepareStatement("SELECT category, hours_per_year FROM quota_category");
          ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          categories.put(rs.getString(1), rs.getDouble(2));
        }
      }
      try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT instrument_id, category, hours_per_year FROM instrument_quota");
          ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          double h = rs.getDouble(3);
          OptionalDouble own = rs.wasNull() ? OptionalDouble.empty() : OptionalDouble.of(h);
          instruments.put(
              rs.getString(1),
              new QuotaPolicy.InstrumentQuota(rs.getString(1), rs.getString(2), own));
        }
      }
    } catch (SQLException e) {
      throw new LedgerStoreException("reading the quota policy failed: " + e.getMessage(), e);
    }
    return new QuotaPolicy(categories, instruments);
  }

  /** Sets an instrument's category and own quota (validated against the stored categories). */
  public void save(QuotaPolicy.InstrumentQuota q, Instant now) {
    load().with(q);
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try {
        try (PreparedStatement ps =
            c.prepareStatement("DELETE FROM instrument_quota WHERE instrument_id = ?")) {
          ps.setString(1, q.instrumentId());
          ps.executeUpdate();
        }
        try (PreparedStatement ps =
            c.prepareStatement(
                "INSERT INTO instrument_quota (instrument_id, category, hours_per_year, updated_at)"
                    + " VALUES (?, ?, ?, ?)")) {
          ps.setString(1, q.instrumentId());
          ps.setString(2, q.category());
          if (q.hoursPerYear().isPresent()) {
            ps.setDouble(3, q.hoursPerYear().getAsDouble());
          } else {
            ps.setNull(3, Types.DOUBLE);
          }
          ps.setTimestamp(4, Timestamp.from(now));
          ps.executeUpdate();
        }
        c.commit();
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw new LedgerStoreException(
          "saving the quota of instrument " + q.instrumentId() + " failed: " + e.getMessage(), e);
    }
  }
}
