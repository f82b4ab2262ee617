package org.labmeter.metering.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.labmeter.wire.Quality;
import org.labmeter.wire.RunFlag;

/**
 * The fleet questions as two QuestDB queries: {@code LATEST ON ts PARTITION BY instrument} for the
 * newest sample of each instrument, and one grouped scan for every sparkline.
 */
public final class QuestDbFleetReader implements FleetReader {
  private static final String LATEST =
      "SELECT instrument, cast(ts AS LONG), power_w, run_flag, quality FROM lm_samples"
          + " WHERE ts >= cast(? AS TIMESTAMP) LATEST ON ts PARTITION BY instrument";
  private static final String BUCKETS =
      "SELECT instrument, (cast(ts AS LONG) - ?) / ? AS bucket, avg(power_w) FROM lm_samples"
          + " WHERE ts >= cast(? AS TIMESTAMP) AND ts < cast(? AS TIMESTAMP)"
          + " AND power_w IS NOT NULL GROUP BY instrument, bucket";

  private final DataSource dataSource;

  QuestDbFleetReader(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  @Override
  public List<LatestSample> latest(long sinceMillis) {
    List<LatestSample> out = new ArrayList<>();
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement(LATEST)) {
      ps.setString(1, Instant.ofEpochMilli(sinceMillis).toString());
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          double power = rs.getDouble(3);
          if (rs.wasNull()) {
            power = Double.NaN;
          }
          RunFlag flag = RunFlag.ofCode((int) rs.getLong(4));
          Quality quality = Quality.ofCode((int) rs.getLong(5));
          out.add(
              new LatestSample(
                  rs.getString(1),
                  Math.floorDiv(rs.getLong(2), 1000L),
                  power,
                  flag == null ? RunFlag.NONE : flag,
                  quality == null ? Quality.UNAVAILABLE : quality));
        }
      }
    } catch (SQLException e) {
      throw new StoreReadException("reading the newest samples failed: " + e.getMessage(), e);
    }
    return out;
  }

  @Override
  public Map<String, double[]> powerBuckets(long fromMillis, long toMillis, long bucketMillis) {
    int n = FleetReader.bucketCount(fromMillis, toMillis, bucketMillis);
    Map<String, double[]> out = new HashMap<>();
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement(BUCKETS)) {
      ps.setLong(1, fromMillis * 1000L);
      ps.setLong(2, bucketMillis * 1000L);
      ps.setString(3, Instant.ofEpochMilli(fromMillis).toString());
      ps.setString(4, Instant.ofEpochMilli(toMillis).toString());
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          long b = rs.getLong(2);
          if (b < 0 || b >= n) {
            continue;
          }
          double[] row =
              out.computeIfAbsent(
                  rs.getString(1),
                  k -> {
                    double[] a = new double[n];
                    Arrays.fill(a, Double.NaN);
                    return a;
                  });
          row[(int) b] = rs.getDouble(3);
        }
      }
    } catch (SQLException e) {
      throw new StoreReadException(
          "reading the fleet's power buckets failed: " + e.getMessage(), e);
    }
    return out;
  }
}
