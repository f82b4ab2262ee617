package org.labmeter.metering.ledger;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Reads and writes {@code evaluation_period}, {@code period_snapshot} and {@code snapshot_day}.
 * Snapshots can only be inserted, each as the next version of its period: there is no method that
 * updates or deletes one, and {@link #insertSnapshot} refuses any version but the next.
 */
public final class PeriodRepository {
  private static final String PERIOD_COLUMNS = "id, name, from_date, to_date, status, created_at";

  private final Jdbc jdbc;

  public PeriodRepository(DataSource dataSource) {
    this.jdbc = new Jdbc(dataSource);
  }

  /** Stores a new period; false when the id is taken. */
  public boolean insert(EvaluationPeriod p) {
    return jdbc.transaction(
        "storing period " + p.id(),
        c -> {
          if (!Jdbc.query(
                  c,
                  "SELECT id FROM evaluation_period WHERE id = ?",
                  ps -> ps.setString(1, p.id()),
                  rs -> 1)
              .isEmpty()) {
            return false;
          }
          try (PreparedStatement ps =
              c.prepareStatement(
                  "INSERT INTO evaluation_period ("
                      + PERIOD_COLUMNS
                      + ") VALUES (?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, p.id());
            ps.setString(2, p.name());
            Jdbc.setDate(ps, 3, p.from());
            Jdbc.setDate(ps, 4, p.to());
            ps.setString(5, p.status().name());
            ps.setTimestamp(6, Timestamp.from(p.createdAt()));
            ps.executeUpdate();
          }
          return true;
        });
  }

  public Optional<EvaluationPeriod> find(String id) {
    return jdbc
        .query(
            "SELECT " + PERIOD_COLUMNS + " FROM evaluation_period WHERE id = ?",
            ps -> ps.setString(1, id),
            PeriodRepository::period)
        .stream()
        .findFirst();
  }

  /** Every period, oldest window first. */
  public List<EvaluationPeriod> all() {
    return jdbc.query(
        "SELECT " + PERIOD_COLUMNS + " FROM evaluation_period ORDER BY from_date, id",
        ps -> {},
        PeriodRepository::period);
  }

  /**
   * Writes {@code s} as the next version of its period, closing the period in the same transaction
   * when it is version 1.
   *
   * @throws IllegalStateException when {@code s.version()} is not one more than the newest stored
   *     version: an existing snapshot is never overwritten
   */
  public void insertSnapshot(Snapshot s) {
    jdbc.transaction(
        "storing snapshot " + s.version() + " of period " + s.periodId(),
        c -> {
          int newest =
              Jdbc.query(
                      c,
                      "SELECT COALESCE(MAX(version), 0) FROM period_snapshot WHERE period_id = ?",
                      ps -> ps.setString(1, s.periodId()),
                      rs -> rs.getInt(1))
                  .get(0);
          if (s.version() != newest + 1) {
            throw new IllegalStateException(
                "snapshot "
                    + s.version()
                    + " of period "
                    + s.periodId()
                    + " refused: snapshots are immutable and the next version is "
                    + (newest + 1));
          }
          try (PreparedStatement ps =
              c.prepareStatement(
                  "INSERT INTO period_snapshot (period_id, version, reason, author, created_at,"
                      + " hash) VALUES (?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, s.periodId());
            ps.setInt(2, s.version());
            ps.setString(3, s.reason());
            ps.setString(4, s.author());
            ps.setTimestamp(5, Timestamp.from(s.createdAt()));
            ps.setString(6, s.hash());
            ps.executeUpdate();
          }
          for (LedgerDay d : s.rows()) {
            LedgerRepository.insertDay(
                c, "snapshot_day", "period_id, version, ", d, s.periodId(), s.version());
          }
          if (s.version() == 1) {
            try (PreparedStatement ps =
                c.prepareStatement(
                    "UPDATE evaluation_period SET status = 'CLOSED' WHERE id = ? AND status = 'OPEN'")) {
              ps.setString(1, s.periodId());
              ps.executeUpdate();
            }
          }
          return null;
        });
  }

  /** Every snapshot of a period without rows, oldest version first. */
  public List<Snapshot> snapshotHeaders(String periodId) {
    return jdbc.query(
        "SELECT period_id, version, reason, author, created_at, hash FROM period_snapshot"
            + " WHERE period_id = ? ORDER BY version",
        ps -> ps.setString(1, periodId),
        rs -> header(rs, List.of()));
  }

  /** One snapshot with its rows, or empty. */
  public Optional<Snapshot> snapshot(String periodId, int version) {
    Optional<Snapshot> head =
        snapshotHeaders(periodId).stream().filter(s -> s.version() == version).findFirst();
    return head.map(
        h ->
            new Snapshot(
                h.periodId(),
                h.version(),
                h.reason(),
                h.author(),
                h.createdAt(),
                h.hash(),
                jdbc.query(
                    "SELECT "
                        + LedgerRepository.DAY_COLUMNS
                        + " FROM snapshot_day WHERE period_id = ? AND version = ?"
                        + " ORDER BY instrument_id, ledger_date",
                    ps -> {
                      ps.setString(1, periodId);
                      ps.setInt(2, version);
                    },
                    LedgerRepository::day)));
  }

  /** The newest snapshot with its rows, or empty while the period is open. */
  public Optional<Snapshot> latestSnapshot(String periodId) {
    List<Snapshot> heads = snapshotHeaders(periodId);
    return heads.isEmpty()
        ? Optional.empty()
        : snapshot(periodId, heads.get(heads.size() - 1).version());
  }

  private static Snapshot header(ResultSet rs, List<LedgerDay> rows) throws SQLException {
    return new Snapshot(
        rs.getString("period_id"),
        rs.getInt("version"),
        rs.getString("reason"),
        rs.getString("author"),
        rs.getTimestamp("created_at").toInstant(),
        rs.getString("hash"),
        rows);
  }

  private static EvaluationPeriod period(ResultSet rs) throws SQLException {
    return new EvaluationPeriod(
        rs.getString("id"),
        rs.getString("name"),
        Jdbc.getDate(rs, "from_date"),
        Jdbc.getDate(rs, "to_date"),
        EvaluationPeriod.Status.valueOf(rs.getString("status")),
        rs.getTimestamp("created_at").toInstant());
  }
}
