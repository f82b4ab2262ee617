package org.labmeter.metering.ledger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.LocalDate;
import java.util.Collections;
import java.util.List;
import javax.sql.DataSource;
import org.labmeter.metering.attribution.Grade;

/**
 * Reads and writes tables {@code ledger_day} and {@code ledger_session}. A day is replaced whole in
 * one transaction (its row and its session rows), so a reader never sees half a recomputation.
 * Every method blocks on JDBC.
 */
public final class LedgerRepository {
  static final String DAY_COLUMNS =
      "instrument_id, ledger_date, "
          + String.join(", ", LedgerTotals.COLUMNS)
          + ", derive_version, attribution_version, profile_hash, row_hash, computed_at";

  private static final String SESSION_COLUMNS =
      "instrument_id, ledger_date, session_id, attributed_active_ms, effective_ms, external_ms,"
          + " voucher_ms, grade, no_show, overrun_ms";

  private final Jdbc jdbc;

  public LedgerRepository(DataSource dataSource) {
    this.jdbc = new Jdbc(dataSource);
  }

  /** Replaces the day's row and session rows. */
  public void replaceDay(LedgerDay day, List<LedgerSession> sessions) {
    jdbc.transaction(
        "writing ledger day " + day.date() + " of instrument " + day.instrumentId(),
        c -> {
          for (String table : List.of("ledger_day", "ledger_session")) {
            try (PreparedStatement ps =
                c.prepareStatement(
                    "DELETE FROM " + table + " WHERE instrument_id = ? AND ledger_date = ?")) {
              ps.setString(1, day.instrumentId());
              Jdbc.setDate(ps, 2, day.date());
              ps.executeUpdate();
            }
          }
          insertDay(c, "ledger_day", "", day);
          MonthRollup.refresh(c, day.instrumentId(), day.date());
          try (PreparedStatement ps =
              c.prepareStatement(
                  "INSERT INTO ledger_session ("
                      + SESSION_COLUMNS
                      + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (LedgerSession s : sessions) {
              ps.setString(1, s.instrumentId());
              Jdbc.setDate(ps, 2, s.date());
              ps.setString(3, s.sessionId());
              ps.setLong(4, s.attributedActiveMs());
              ps.setLong(5, s.effectiveMs());
              ps.setLong(6, s.externalMs());
              ps.setLong(7, s.voucherMs());
              ps.setString(8, s.grade().name());
              ps.setBoolean(9, s.noShow());
              ps.setLong(10, s.overrunMs());
              ps.addBatch();
            }
            if (!sessions.isEmpty()) {
              ps.executeBatch();
            }
          }
          return null;
        });
  }

  /** The instrument's ledger days in [from, to] (both inclusive), oldest first. */
  public List<LedgerDay> days(String instrumentId, LocalDate from, LocalDate to) {
    return jdbc.query(
        "SELECT "
            + DAY_COLUMNS
            + " FROM ledger_day WHERE instrument_id = ? AND ledger_date >= ? AND ledger_date <= ?"
            + " ORDER BY ledger_date",
        ps -> {
          ps.setString(1, instrumentId);
          Jdbc.setDate(ps, 2, from);
          Jdbc.setDate(ps, 3, to);
        },
        LedgerRepository::day);
  }

  /** Every instrument's ledger days in [from, to], by instrument then day. */
  public List<LedgerDay> allDays(LocalDate from, LocalDate to) {
    return jdbc.query(
        "SELECT "
            + DAY_COLUMNS
            + " FROM ledger_day WHERE ledger_date >= ? AND ledger_date <= ?"
            + " ORDER BY instrument_id, ledger_date",
        ps -> {
          Jdbc.setDate(ps, 1, from);
          Jdbc.setDate(ps, 2, to);
        },
        LedgerRepository::day);
  }

  /**
   * Each instrument's rows in [from, to] summed by the database, for every instrument of the
   * facility: from the live ledger ({@code snapshotVersion} 0; whole months from {@code
   * ledger_month}) or from a snapshot of {@code periodId}. The facility and annual reports read
   * this instead of the rows, so 24,000 instruments × 365 days come back as 24,000 sums.
   */
  public java.util.Map<String, PeriodSum> sums(
      String facilityId, LocalDate from, LocalDate to, String periodId, int snapshotVersion) {
    if (snapshotVersion == 0) {
      return MonthRollup.sums(jdbc, facilityId, from, to);
    }
    StringBuilder sql = new StringBuilder("SELECT d.instrument_id, COUNT(*)");
    for (String column : LedgerTotals.COLUMNS) {
      sql.append(", SUM(d.").append(column).append(')');
    }
    sql.append(" FROM snapshot_day d JOIN instrument i ON i.id = d.instrument_id")
        .append(" WHERE i.facility_id = ? AND d.ledger_date >= ? AND d.ledger_date <= ?")
        .append(" AND d.period_id = ? AND d.version = ? GROUP BY d.instrument_id");
    java.util.Map<String, PeriodSum> out = new java.util.HashMap<>();
    jdbc.query(
        sql.toString(),
        ps -> {
          ps.setString(1, facilityId);
          Jdbc.setDate(ps, 2, from);
          Jdbc.setDate(ps, 3, to);
          ps.setString(4, periodId);
          ps.setInt(5, snapshotVersion);
          ps.setFetchSize(10_000);
        },
        rs -> {
          long[] v = new long[LedgerTotals.COLUMNS.size()];
          for (int i = 0; i < v.length; i++) {
            v[i] = rs.getLong(i + 3);
          }
          out.put(rs.getString(1), new PeriodSum(rs.getLong(2), LedgerTotals.of(v)));
          return null;
        });
    return out;
  }

  /** The instrument's per-session ledger rows in [from, to], by day then session id. */
  public List<LedgerSession> sessions(String instrumentId, LocalDate from, LocalDate to) {
    return jdbc.query(
        "SELECT "
            + SESSION_COLUMNS
            + " FROM ledger_session WHERE instrument_id = ? AND ledger_date >= ?"
            + " AND ledger_date <= ? ORDER BY ledger_date, session_id",
        ps -> {
          ps.setString(1, instrumentId);
          Jdbc.setDate(ps, 2, from);
          Jdbc.setDate(ps, 3, to);
        },
        rs ->
            new LedgerSession(
                rs.getString("instrument_id"),
                Jdbc.getDate(rs, "ledger_date"),
                rs.getString("session_id"),
                rs.getLong("attributed_active_ms"),
                rs.getLong("effective_ms"),
                rs.getLong("external_ms"),
                rs.getLong("voucher_ms"),
                Grade.valueOf(rs.getString("grade")),
                rs.getBoolean("no_show"),
                rs.getLong("overrun_ms")));
  }

  /**
   * Inserts a ledger row into {@code table} ({@code ledger_day} or {@code snapshot_day}); {@code
   * keyColumns} are extra leading columns already bound by the caller's values (period, version).
   */
  static void insertDay(Connection c, String table, String keyColumns, LedgerDay day, Object... key)
      throws SQLException {
    int n = LedgerTotals.COLUMNS.size() + 7 + key.length;
    String marks = String.join(", ", Collections.nCopies(n, "?"));
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO "
                + table
                + " ("
                + keyColumns
                + DAY_COLUMNS
                + ") VALUES ("
                + marks
                + ")")) {
      int i = 1;
      for (Object k : key) {
        ps.setObject(i++, k);
      }
      ps.setString(i++, day.instrumentId());
      Jdbc.setDate(ps, i++, day.date());
      for (long v : day.totals().toArray()) {
        ps.setLong(i++, v);
      }
      ps.setString(i++, day.deriveVersion());
      ps.setString(i++, day.attributionVersion());
      ps.setString(i++, day.profileHash());
      ps.setString(i++, day.rowHash());
      ps.setTimestamp(i, Timestamp.from(day.computedAt()));
      ps.executeUpdate();
    }
  }

  static LedgerDay day(ResultSet rs) throws SQLException {
    long[] v = new long[LedgerTotals.COLUMNS.size()];
    for (int i = 0; i < v.length; i++) {
      v[i] = rs.getLong(LedgerTotals.COLUMNS.get(i));
    }
    return new LedgerDay(
        rs.getString("instrument_id"),
        Jdbc.getDate(rs, "ledger_date"),
        LedgerTotals.of(v),
        rs.getString("derive_version"),
        rs.getString("attribution_version"),
        rs.getString("profile_hash"),
        rs.getTimestamp("computed_at").toInstant());
  }
}
