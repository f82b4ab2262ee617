package org.labmeter.metering.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.questdb.cairo.CairoEngine;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.labmeter.metering.derive.ObservationSeries;
import org.labmeter.wire.Quality;
import org.labmeter.wire.RunFlag;
import org.postgresql.PGStatement;

/**
 * Reads {@code lm_samples} through QuestDB's PostgreSQL wire protocol. Timestamps travel as
 * microsecond integers to stay clear of JDBC time-zone conversions.
 */
public final class QuestDbSampleReader implements SampleReader, EnergyReader {
  private static final String QUERY =
      "SELECT cast(ts AS LONG), power_w, run_flag, quality, verified FROM lm_samples"
          + " WHERE instrument = ? AND ts >= cast(? AS TIMESTAMP) AND ts < cast(? AS TIMESTAMP)";

  /** Windows longer than this are read as consecutive time slices on several connections. */
  static final long SLICED_ABOVE_MILLIS = 7L * 24 * 3_600_000L;

  /**
   * Slices of a long window read at once: the read of a long window is bounded by decoding rows on
   * one connection, on both sides, so slices on separate connections overlap that work.
   */
  static final int SLICES = Math.max(2, Math.min(4, Runtime.getRuntime().availableProcessors()));

  private final HikariDataSource dataSource;
  private final ExecutorService slicer;
  private final InProcessSampleQuery inProcess;

  public QuestDbSampleReader(String jdbcUrl, String user, String password) {
    this(jdbcUrl, user, password, null);
  }

  /**
   * With {@code inProcess} set (QuestDB embedded in this JVM), samples are read through the
   * engine's own cursor; the wire connection still serves the other queries and the health check.
   */
  public QuestDbSampleReader(String jdbcUrl, String user, String password, CairoEngine inProcess) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(jdbcUrl);
    config.setUsername(user);
    config.setPassword(password);
    config.setMaximumPoolSize(8);
    config.setPoolName("sample-reader");
    config.setConnectionTestQuery("SELECT 1");
    config.setInitializationFailTimeout(-1);
    this.dataSource = new HikariDataSource(config);
    this.inProcess = inProcess == null ? null : new InProcessSampleQuery(inProcess);
    AtomicInteger threads = new AtomicInteger();
    this.slicer =
        Executors.newFixedThreadPool(
            SLICES,
            r -> {
              Thread t = new Thread(r, "sample-reader-slice-" + threads.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
  }

  /**
   * The samples of [from, to), in time order. A window longer than {@link #SLICED_ABOVE_MILLIS} is
   * cut into {@link #SLICES} consecutive slices read at once and joined: each sample falls in
   * exactly one slice, so the result is what one read of the whole window gives.
   */
  @Override
  public ObservationSeries read(String instrumentId, long fromMillis, long toMillis) {
    if (toMillis - fromMillis <= SLICED_ABOVE_MILLIS) {
      return readSlice(instrumentId, fromMillis, toMillis);
    }
    long step = Math.floorDiv(toMillis - fromMillis + SLICES - 1, SLICES);
    List<Future<ObservationSeries>> parts = new ArrayList<>(SLICES);
    for (long a = fromMillis; a < toMillis; a += step) {
      long from = a;
      long to = Math.min(toMillis, a + step);
      parts.add(slicer.submit(() -> readSlice(instrumentId, from, to)));
    }
    List<ObservationSeries> read = new ArrayList<>(parts.size());
    try {
      for (Future<ObservationSeries> part : parts) {
        read.add(part.get());
      }
    } catch (ExecutionException e) {
      parts.forEach(f -> f.cancel(true));
      throw e.getCause() instanceof StoreReadException s
          ? s
          : new StoreReadException(
              "reading samples of instrument " + instrumentId + " failed: " + e.getCause(),
              e.getCause());
    } catch (InterruptedException e) {
      parts.forEach(f -> f.cancel(true));
      Thread.currentThread().interrupt();
      throw new StoreReadException(
          "reading samples of instrument " + instrumentId + " interrupted", e);
    }
    return ObservationSeries.concat(read);
  }

  private ObservationSeries readSlice(String instrumentId, long fromMillis, long toMillis) {
    if (inProcess != null) {
      return inProcess.read(instrumentId, fromMillis, toMillis);
    }
    ObservationSeries.Builder series = ObservationSeries.builder();
    try (Connection c = dataSource.getConnection()) {
      // The PostgreSQL driver honours the fetch size only outside auto-commit; in auto-commit it
      // holds the whole result in memory (a year at 1 Hz would need several GB). The pool resets
      // auto-commit when the connection goes back.
      c.setAutoCommit(false);
      readInto(c, series, instrumentId, fromMillis, toMillis);
    } catch (SQLException e) {
      throw new StoreReadException(
          "reading samples of instrument " + instrumentId + " failed: " + e.getMessage(), e);
    }
    return series.build();
  }

  private static void readInto(
      Connection c,
      ObservationSeries.Builder series,
      String instrumentId,
      long fromMillis,
      long toMillis)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(QUERY)) {
      ps.setString(1, instrumentId);
      ps.setString(2, Instant.ofEpochMilli(fromMillis).toString());
      ps.setString(3, Instant.ofEpochMilli(toMillis).toString());
      // About 30 MB of rows per round trip; fewer round trips matter on long windows (a year at
      // 1 Hz is 31.5 million rows).
      ps.setFetchSize(200_000);
      if (ps.isWrapperFor(PGStatement.class)) {
        // Binary rows from the first execution on: parsing text longs and doubles costs more than
        // the query itself on a long window.
        ps.unwrap(PGStatement.class).setPrepareThreshold(-1);
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          long tsMillis = Math.floorDiv(rs.getLong(1), 1000L);
          double power = rs.getDouble(2);
          if (rs.wasNull()) {
            power = Double.NaN;
          }
          RunFlag flag = RunFlag.ofCode((int) rs.getLong(3));
          Quality quality = Quality.ofCode((int) rs.getLong(4));
          series.add(
              tsMillis,
              power,
              flag == null ? RunFlag.NONE : flag,
              quality == null ? Quality.UNAVAILABLE : quality,
              rs.getBoolean(5));
        }
      }
    }
  }

  @Override
  public List<EnergyReading> energy(String instrumentId, long fromMillis, long toMillis) {
    List<EnergyReading> out = new ArrayList<>();
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try (PreparedStatement ps =
          c.prepareStatement(
              "SELECT cast(ts AS LONG), energy_kwh FROM lm_samples WHERE instrument = ?"
                  + " AND ts >= cast(? AS TIMESTAMP) AND ts < cast(? AS TIMESTAMP)"
                  + " AND energy_kwh IS NOT NULL ORDER BY ts")) {
        ps.setString(1, instrumentId);
        ps.setString(2, Instant.ofEpochMilli(fromMillis).toString());
        ps.setString(3, Instant.ofEpochMilli(toMillis).toString());
        ps.setFetchSize(200_000);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            out.add(new EnergyReading(Math.floorDiv(rs.getLong(1), 1000L), rs.getDouble(2)));
          }
        }
      }
    } catch (SQLException e) {
      throw new StoreReadException(
          "reading the energy counter of instrument " + instrumentId + " failed: " + e.getMessage(),
          e);
    }
    return out;
  }

  /** A reader of the stored envelopes ({@code lm_batches}) sharing this reader's pool. */
  public QuestDbBatchReader batchReader() {
    return new QuestDbBatchReader(dataSource);
  }

  /** The fleet queries of the live screens, sharing this reader's pool. */
  public QuestDbFleetReader fleetReader() {
    return new QuestDbFleetReader(dataSource);
  }

  @Override
  public boolean ping() {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement("SELECT 1");
        ResultSet rs = ps.executeQuery()) {
      return rs.next();
    } catch (SQLException e) {
      return false;
    }
  }

  @Override
  public void close() {
    slicer.shutdownNow();
    dataSource.close();
  }
}
