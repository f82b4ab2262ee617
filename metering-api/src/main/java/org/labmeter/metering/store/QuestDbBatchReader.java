package org.labmeter.metering.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * Reads {@code lm_batches} (the stored envelopes) through QuestDB's PostgreSQL wire protocol, for
 * evidence bundles. Shares the pool of the {@link QuestDbSampleReader} that made it; timestamps
 * travel as integers, as there.
 */
public final class QuestDbBatchReader implements ReceivedBatches {
  private static final String COLUMNS =
      "SELECT agent, seq, first_ts, last_ts, hash, chain_ok, received_at, envelope FROM lm_batches";
  private static final String OVERLAPPING =
      COLUMNS
          + " WHERE instrument = ? AND ts < cast(? AS TIMESTAMP) AND last_ts >= ?"
          + " ORDER BY agent, seq";
  private static final String BY_SEQUENCE =
      COLUMNS + " WHERE instrument = ? AND agent = ? AND seq = ? AND ts < cast(? AS TIMESTAMP)";

  /**
   * When a row was last written: a batch relinked after a gap closed, swept, or replayed from the
   * collector's spool is written after it was received. Rows from before the column existed fall
   * back to their receipt time.
   */
  private static final String WRITTEN = "coalesce(written_at, received_at)";

  private static final String RECEIVED_AFTER =
      "SELECT instrument, agent, seq, first_ts, last_ts, "
          + WRITTEN
          + " w FROM lm_batches WHERE "
          + WRITTEN
          + " > ? AND ts >= cast(? AS TIMESTAMP) ORDER BY w";

  private static final String RECEIVED_AFTER_BEFORE =
      "SELECT instrument, agent, seq, first_ts, last_ts, "
          + WRITTEN
          + " w FROM lm_batches WHERE "
          + WRITTEN
          + " > ? AND ts >= cast(? AS TIMESTAMP) AND ts < cast(? AS TIMESTAMP) ORDER BY w";

  private final DataSource dataSource;

  QuestDbBatchReader(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /**
   * Batches of the instrument (all agents) with at least one sample in [fromMillis, toMillis):
   * first sample before {@code toMillis} and last sample at or after {@code fromMillis}.
   */
  public List<StoredBatch> overlapping(String instrumentId, long fromMillis, long toMillis) {
    return query(
        OVERLAPPING,
        instrumentId,
        ps -> {
          ps.setString(1, instrumentId);
          ps.setString(2, Instant.ofEpochMilli(toMillis).toString());
          ps.setLong(3, fromMillis);
        });
  }

  /**
   * The stored batches of one chain with the given sequence whose first sample lies before {@code
   * beforeMillis}: the predecessors an evidence bundle needs to confirm its first link.
   */
  public List<StoredBatch> withSequence(
      String instrumentId, String agentId, long sequence, long beforeMillis) {
    return query(
        BY_SEQUENCE,
        instrumentId,
        ps -> {
          ps.setString(1, instrumentId);
          ps.setString(2, agentId);
          ps.setLong(3, sequence);
          ps.setString(4, Instant.ofEpochMilli(beforeMillis).toString());
        });
  }

  @Override
  public List<ReceivedBatch> receivedAfter(long afterMillis, long firstSampleFromMillis) {
    List<ReceivedBatch> out = new ArrayList<>();
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement(RECEIVED_AFTER)) {
      ps.setLong(1, afterMillis);
      ps.setString(2, Instant.ofEpochMilli(firstSampleFromMillis).toString());
      ps.setFetchSize(10_000);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(
              new ReceivedBatch(
                  rs.getString(1),
                  rs.getString(2),
                  rs.getLong(3),
                  rs.getLong(4),
                  rs.getLong(5),
                  rs.getLong(6)));
        }
      }
    } catch (SQLException e) {
      throw new StoreReadException("reading received batches failed: " + e.getMessage(), e);
    }
    return out;
  }

  /**
   * Batches written after {@code afterMillis} (see {@link #WRITTEN}) whose first sample lies in
   * [firstSampleFromMillis, firstSampleBeforeMillis), oldest receipt first: late data for the usage
   * cache, which leaves out the recent batches every live instrument sends.
   */
  public List<ReceivedBatch> receivedAfter(
      long afterMillis, long firstSampleFromMillis, long firstSampleBeforeMillis) {
    List<ReceivedBatch> out = new ArrayList<>();
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement(RECEIVED_AFTER_BEFORE)) {
      ps.setLong(1, afterMillis);
      ps.setString(2, Instant.ofEpochMilli(firstSampleFromMillis).toString());
      ps.setString(3, Instant.ofEpochMilli(firstSampleBeforeMillis).toString());
      ps.setFetchSize(10_000);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(
              new ReceivedBatch(
                  rs.getString(1),
                  rs.getString(2),
                  rs.getLong(3),
                  rs.getLong(4),
                  rs.getLong(5),
                  rs.getLong(6)));
        }
      }
    } catch (SQLException e) {
      throw new StoreReadException("reading received batches failed: " + e.getMessage(), e);
    }
    return out;
  }

  @FunctionalInterface
  private interface Binder {
    void bind(PreparedStatement ps) throws SQLException;
  }

  private List<StoredBatch> query(String sql, String instrumentId, Binder binder) {
    List<StoredBatch> out = new ArrayList<>();
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement(sql)) {
      binder.bind(ps);
      ps.setFetchSize(10_000);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(
              new StoredBatch(
                  rs.getString(1),
                  rs.getLong(2),
                  rs.getLong(3),
                  rs.getLong(4),
                  rs.getString(5),
                  rs.getBoolean(6),
                  rs.getLong(7),
                  rs.getString(8)));
        }
      }
    } catch (SQLException e) {
      throw new StoreReadException(
          "reading batches of instrument " + instrumentId + " failed: " + e.getMessage(), e);
    }
    return out;
  }
}
