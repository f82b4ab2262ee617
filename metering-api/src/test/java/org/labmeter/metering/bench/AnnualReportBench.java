package org.labmeter.metering.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import org.labmeter.metering.config.ApiConfig;
import org.labmeter.metering.derive.ObservationSeries;
import org.labmeter.metering.http.MeteringApi;
import org.labmeter.metering.ledger.EvaluationPeriod;
import org.labmeter.metering.ledger.LedgerTotals;
import org.labmeter.metering.ledger.PeriodRepository;
import org.labmeter.metering.registry.Registry;
import org.labmeter.metering.registry.RelationalStore;
import org.labmeter.metering.report.InstrumentReport;
import org.labmeter.metering.report.ReportService;
import org.labmeter.metering.store.SampleReader;

/**
 * The annual report of a facility of 24,000 instruments (the Yangtze River Delta platform's size),
 * served from the ledger in an H2 file: {@code GET /api/v1/facilities/:id/report?period=y2025} end
 * to end (HTTP, JDBC, JSON), and {@link ReportService#facility} alone. The ledger is filled once
 * per folder (a marker file records it) with 24,000 × 365 rows: instrument k on day d has m = (k +
 * d) mod 10 and effective_ms = 600,000 × m. Each run's facility total is checked against the same
 * sum worked out here. Run with {@code bench/annual-report.sh}.
 *
 * <p>Arguments: the folder for the H2 file (about 3 GB), and the number of timed runs.
 */
public final class AnnualReportBench {
  static final int INSTRUMENTS = 24_000;
  static final int DAYS = 365;
  static final String FACILITY = "bench-fac";
  static final LocalDate FIRST = LocalDate.of(2025, 1, 1);

  private AnnualReportBench() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 1) {
      System.err.println("usage: AnnualReportBench <data folder> [runs=5]");
      System.exit(2);
    }
    Path folder = Path.of(args[0]).toAbsolutePath();
    int runs = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    Files.createDirectories(folder);
    Path marker = folder.resolve("filled");
    String url = "jdbc:h2:file:" + folder.resolve("ledger") + ";DB_CLOSE_ON_EXIT=FALSE";
    if (!Files.exists(marker)) {
      // a larger page cache for the fill only
      try (RelationalStore store = RelationalStore.open(url + ";CACHE_SIZE=524288", "sa", "")) {
        long t0 = System.nanoTime();
        fill(store);
        Files.writeString(marker, Instant.now().toString());
        report("filled %,d ledger rows in %.0f s", (long) INSTRUMENTS * DAYS, secs(t0));
      }
    }
    // timed with the URL the launcher and the demo use (H2's default cache)
    try (RelationalStore store = RelationalStore.open(url, "sa", "")) {
      long expected = expectedEffectiveMs();
      Registry registry = new Registry(store.dataSource());
      ReportService reports = new ReportService(registry);
      EvaluationPeriod year = reports.period("y2025").orElseThrow();
      for (int r = 1; r <= runs; r++) {
        long t0 = System.nanoTime();
        List<InstrumentReport> rows = reports.facility(FACILITY, year);
        InstrumentReport total = reports.facilityTotal(FACILITY, year, rows);
        check(total.totals().effectiveMs(), expected, rows.size());
        report("run %d: ReportService.facility + total: %.3f s", r, secs(t0));
      }
      MeteringApi api =
          new MeteringApi(
              ApiConfig.create(b -> b.host("127.0.0.1").port(0)),
              registry,
              new NoSamples(),
              new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
      api.start().join();
      try {
        HttpClient http = HttpClient.newHttpClient();
        URI uri =
            URI.create(
                "http://127.0.0.1:"
                    + api.port()
                    + "/api/v1/facilities/"
                    + FACILITY
                    + "/report?period=y2025");
        ObjectMapper json = new ObjectMapper();
        for (int r = 1; r <= runs; r++) {
          long t0 = System.nanoTime();
          HttpResponse<byte[]> resp =
              http.send(
                  HttpRequest.newBuilder(uri).GET().build(),
                  HttpResponse.BodyHandlers.ofByteArray());
          double s = secs(t0);
          if (resp.statusCode() != 200) {
            throw new IllegalStateException(
                "HTTP " + resp.statusCode() + ": " + new String(resp.body()));
          }
          JsonNode body = json.readTree(resp.body());
          long effective = body.get("total").get("totals").get("effectiveMs").asLong();
          check(effective, expected, body.get("instruments").size());
          report(
              "run %d: GET facility report, HTTP end to end: %.3f s (%,d bytes of JSON)",
              r, s, resp.body().length);
        }
      } finally {
        api.stop();
      }
    }
  }

  private static void check(long effective, long expected, int instruments) {
    if (effective != expected || instruments != INSTRUMENTS) {
      throw new IllegalStateException(
          "wrong report: effective "
              + effective
              + " (expected "
              + expected
              + "), "
              + instruments
              + " instruments");
    }
  }

  /** Σ_k Σ_d 600,000 × ((k + d) mod 10), k = 1..24,000, d = 0..364. */
  static long expectedEffectiveMs() {
    long sum = 0;
    for (int k = 1; k <= INSTRUMENTS; k++) {
      for (int d = 0; d < DAYS; d++) {
        sum += 600_000L * ((k + d) % 10);
      }
    }
    return sum;
  }

  /** Instruments and ledger rows in H2's own SQL (SYSTEM_RANGE), one day per statement. */
  static void fill(RelationalStore store) throws Exception {
    try (Connection c = store.dataSource().getConnection();
        Statement st = c.createStatement()) {
      st.executeUpdate(
          "INSERT INTO facility (id, name, name_zh) VALUES ('" + FACILITY + "', 'Bench', '基准')");
      st.executeUpdate(
          "INSERT INTO instrument (id, facility_id, name, name_zh, model, asset_no)"
              + " SELECT 'ins-' || LPAD(CAST(X AS VARCHAR), 5, '0'), '"
              + FACILITY
              + "', 'Instrument ' || X, '仪器' || X, 'M', 'A-' || X FROM SYSTEM_RANGE(1, "
              + INSTRUMENTS
              + ")");
      String columns =
          "instrument_id, ledger_date, "
              + String.join(", ", LedgerTotals.COLUMNS)
              + ", derive_version, attribution_version, profile_hash, row_hash, computed_at";
      // instrument-major, so rows arrive in primary-key order; 1,000 instruments per statement
      String m = "MOD(I.X + D.X, 10)";
      for (int k = 1; k <= INSTRUMENTS; k += 1000) {
        st.executeUpdate(
            "INSERT INTO ledger_day ("
                + columns
                + ") SELECT 'ins-' || LPAD(CAST(I.X AS VARCHAR), 5, '0'), DATEADD(DAY, D.X, DATE '"
                + FIRST
                + "'), 86400000 - 3600000 - ("
                + m
                + " + 1) * 600000, 3600000, ("
                + m
                + " + 1) * 600000, 0, 0, ("
                + m
                + " + 1) * 600000, "
                + m
                + " * 600000, "
                + m
                + " * 300000, "
                + m
                + " * 60000, "
                + m
                + " * 600000,"
                + " 0, 0, 0, 600000, 1 + MOD("
                + m
                + ", 3), 0, 0, 'lm-derive/1', 'lm-attribute/1',"
                + " REPEAT('a', 64), LPAD(CAST(I.X * 1000 + D.X AS VARCHAR), 64, '0'),"
                + " CURRENT_TIMESTAMP FROM SYSTEM_RANGE("
                + k
                + ", "
                + (k + 999)
                + ") I,"
                + " SYSTEM_RANGE(0, "
                + (DAYS - 1)
                + ") D ORDER BY I.X, D.X");
        if ((k + 999) % 6000 == 0) {
          report("  %,d of %,d instruments filled", k + 999, INSTRUMENTS);
        }
      }
      // the monthly sums, built the way migration V5 builds them from existing days
      String sums =
          LedgerTotals.COLUMNS.stream()
              .map(col -> "SUM(" + col + ")")
              .reduce((a, b) -> a + ", " + b)
              .orElseThrow();
      String month =
          "CAST(EXTRACT(YEAR FROM ledger_date) AS INTEGER) * 100"
              + " + CAST(EXTRACT(MONTH FROM ledger_date) AS INTEGER)";
      st.executeUpdate(
          "INSERT INTO ledger_month (instrument_id, month_key, days, "
              + String.join(", ", LedgerTotals.COLUMNS)
              + ") SELECT instrument_id, "
              + month
              + ", COUNT(*), "
              + sums
              + " FROM ledger_day GROUP BY instrument_id, "
              + month);
    }
    new PeriodRepository(store.dataSource())
        .insert(
            new EvaluationPeriod(
                "y2025",
                "2025",
                FIRST,
                FIRST.plusDays(DAYS - 1),
                EvaluationPeriod.Status.OPEN,
                Instant.now()));
  }

  private static final class NoSamples implements SampleReader {
    @Override
    public ObservationSeries read(String instrumentId, long fromMillis, long toMillis) {
      return ObservationSeries.builder().build();
    }

    @Override
    public boolean ping() {
      return true;
    }

    @Override
    public void close() {}
  }

  private static double secs(long t0) {
    return (System.nanoTime() - t0) / 1e9;
  }

  private static void report(String format, Object... args) {
    System.out.printf(format + "%n", args);
  }
}
