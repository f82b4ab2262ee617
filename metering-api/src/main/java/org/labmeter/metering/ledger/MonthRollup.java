package org.labmeter.metering.ledger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.HashMap;
import java.util.Map;

/**
 * Table {@code ledger_month}: each instrument's ledger days summed per calendar month, rewritten in
 * the transaction that writes a day, so it always equals the sum of its days. Period sums read
 * whole months from here and only the days of partial months from {@code ledger_day}: an annual
 * report of 24,000 instruments reads 288,000 rows rather than 8.76 million.
 */
final class MonthRollup {
  private static final String SUMS;
  private static final String COLUMNS = String.join(", ", LedgerTotals.COLUMNS);

  static {
    StringBuilder b = new StringBuilder();
    for (String column : LedgerTotals.COLUMNS) {
      b.append(", SUM(").append(column).append(')');
    }
    SUMS = b.toString();
  }

  private MonthRollup() {}

  /** year × 100 + month, the table's month key. */
  static int key(YearMonth m) {
    return m.getYear() * 100 + m.getMonthValue();
  }

  /**
   * Rewrites the month row of {@code day}'s month from its days, inside the caller's transaction.
   */
  static void refresh(Connection c, String instrumentId, LocalDate day) throws SQLException {
    YearMonth m = YearMonth.from(day);
    try (PreparedStatement ps =
        c.prepareStatement("DELETE FROM ledger_month WHERE instrument_id = ? AND month_key = ?")) {
      ps.setString(1, instrumentId);
      ps.setInt(2, key(m));
      ps.executeUpdate();
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO ledger_month (instrument_id, month_key, days, "
                + COLUMNS
                + ") SELECT instrument_id, ?, COUNT(*)"
                + SUMS
                + " FROM ledger_day WHERE instrument_id = ? AND ledger_date >= ?"
                + " AND ledger_date <= ? GROUP BY instrument_id")) {
      ps.setInt(1, key(m));
      ps.setString(2, instrumentId);
      Jdbc.setDate(ps, 3, m.atDay(1));
      Jdbc.setDate(ps, 4, m.atEndOfMonth());
      ps.executeUpdate();
    }
  }

  /**
   * Each instrument's sum over [from, to] for the facility's instruments: whole months from {@code
   * ledger_month}, the rest from {@code ledger_day}.
   */
  static Map<String, PeriodSum> sums(Jdbc jdbc, String facilityId, LocalDate from, LocalDate to) {
    Map<String, PeriodSum> out = new HashMap<>();
    YearMonth first =
        from.getDayOfMonth() == 1 ? YearMonth.from(from) : YearMonth.from(from).plusMonths(1);
    YearMonth last =
        to.equals(YearMonth.from(to).atEndOfMonth())
            ? YearMonth.from(to)
            : YearMonth.from(to).minusMonths(1);
    if (first.isAfter(last)) {
      days(jdbc, facilityId, from, to, out);
      return out;
    }
    jdbc.query(
        "SELECT m.instrument_id, SUM(m.days)"
            + SUMS.replace("SUM(", "SUM(m.")
            + " FROM ledger_month m JOIN instrument i ON i.id = m.instrument_id"
            + " WHERE i.facility_id = ? AND m.month_key >= ? AND m.month_key <= ?"
            + " GROUP BY m.instrument_id",
        ps -> {
          ps.setString(1, facilityId);
          ps.setInt(2, key(first));
          ps.setInt(3, key(last));
          ps.setFetchSize(10_000);
        },
        rs -> add(out, rs));
    if (from.isBefore(first.atDay(1))) {
      days(jdbc, facilityId, from, first.atDay(1).minusDays(1), out);
    }
    if (to.isAfter(last.atEndOfMonth())) {
      days(jdbc, facilityId, last.atEndOfMonth().plusDays(1), to, out);
    }
    return out;
  }

  private static void days(
      Jdbc jdbc, String facilityId, LocalDate from, LocalDate to, Map<String, PeriodSum> out) {
    jdbc.query(
        "SELECT d.instrument_id, COUNT(*)"
            + SUMS.replace("SUM(", "SUM(d.")
            + " FROM ledger_day d JOIN instrument i ON i.id = d.instrument_id"
            + " WHERE i.facility_id = ? AND d.ledger_date >= ? AND d.ledger_date <= ?"
            + " GROUP BY d.instrument_id",
        ps -> {
          ps.setString(1, facilityId);
          Jdbc.setDate(ps, 2, from);
          Jdbc.setDate(ps, 3, to);
          ps.setFetchSize(10_000);
        },
        rs -> add(out, rs));
  }

  private static Void add(Map<String, PeriodSum> out, java.sql.ResultSet rs) throws SQLException {
    long[] v = new long[LedgerTotals.COLUMNS.size()];
    for (int i = 0; i < v.length; i++) {
      v[i] = rs.getLong(i + 3);
    }
    PeriodSum s = new PeriodSum(rs.getLong(2), LedgerTotals.of(v));
    out.merge(
        rs.getString(1),
        s,
        (a, b) -> new PeriodSum(a.days() + b.days(), a.totals().plus(b.totals())));
    return null;
  }
}
