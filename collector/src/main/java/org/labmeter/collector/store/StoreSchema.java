package org.labmeter.collector.store;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

/**
 * Creates the QuestDB tables before the first write. Tables that line protocol creates on the fly
 * have no dedup keys, so a batch that is written again after a lost PUBACK would be stored twice;
 * with {@code DEDUP UPSERT KEYS} the second write replaces the first. InfluxDB needs no DDL (a
 * point with the same series and time already overwrites).
 */
public final class StoreSchema {

  public static final String LM_SAMPLES_DDL =
      "CREATE TABLE IF NOT EXISTS lm_samples (instrument SYMBOL, agent SYMBOL, power_w DOUBLE,"
          + " energy_kwh DOUBLE, run_flag LONG, quality LONG, epoch LONG, seq LONG,"
          + " verified BOOLEAN, ts TIMESTAMP) TIMESTAMP(ts) PARTITION BY DAY WAL"
          + " DEDUP UPSERT KEYS(ts, instrument)";

  public static final String LM_BATCHES_DDL =
      "CREATE TABLE IF NOT EXISTS lm_batches (instrument SYMBOL, agent SYMBOL, epoch LONG,"
          + " seq LONG, sample_count LONG, first_ts LONG, last_ts LONG, prev_hash VARCHAR,"
          + " hash VARCHAR, chain_ok BOOLEAN, received_at LONG, envelope VARCHAR, ts TIMESTAMP,"
          + " written_at LONG) TIMESTAMP(ts) PARTITION BY DAY WAL"
          + " DEDUP UPSERT KEYS(ts, instrument, seq)";

  /** Tables made before {@code written_at} existed gain it (stores upgraded in place). */
  public static final String LM_BATCHES_WRITTEN_AT =
      "ALTER TABLE lm_batches ADD COLUMN IF NOT EXISTS written_at LONG";

  /**
   * Refused payloads, never evidence: kept 30 days (QuestDB drops older partitions), payload cut to
   * {@link RecordTables#PAYLOAD_CAP} bytes before base64.
   */
  public static final String LM_QUARANTINE_DDL =
      "CREATE TABLE IF NOT EXISTS lm_quarantine (agent SYMBOL, reason SYMBOL, topic VARCHAR,"
          + " detail VARCHAR, payload_bytes LONG, payload VARCHAR, received_at TIMESTAMP)"
          + " TIMESTAMP(received_at) PARTITION BY DAY TTL 30 DAYS WAL";

  /** Agents' birth and last-will messages: the latest row per agent is its state. */
  public static final String LM_AGENT_STATUS_DDL =
      "CREATE TABLE IF NOT EXISTS lm_agent_status (agent SYMBOL, state SYMBOL, epoch LONG,"
          + " agent_ts LONG, ts TIMESTAMP) TIMESTAMP(ts) PARTITION BY MONTH WAL"
          + " DEDUP UPSERT KEYS(ts, agent)";

  private StoreSchema() {}

  /**
   * Runs the DDL through QuestDB's {@code /exec}. Idempotent.
   *
   * @param httpBaseUrl e.g. {@code http://127.0.0.1:9000}
   * @throws IOException when QuestDB cannot be reached or refuses a statement
   */
  public static void ensureQuestDb(String httpBaseUrl) throws IOException {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    for (String ddl :
        List.of(
            LM_SAMPLES_DDL,
            LM_BATCHES_DDL,
            LM_BATCHES_WRITTEN_AT,
            LM_QUARANTINE_DDL,
            LM_AGENT_STATUS_DDL)) {
      exec(http, httpBaseUrl, ddl);
    }
  }

  /** Runs one statement on QuestDB's {@code /exec} and returns the JSON body. */
  static String exec(HttpClient http, String httpBaseUrl, String sql) throws IOException {
    String base =
        httpBaseUrl.endsWith("/")
            ? httpBaseUrl.substring(0, httpBaseUrl.length() - 1)
            : httpBaseUrl;
    URI uri = URI.create(base + "/exec?query=" + URLEncoder.encode(sql, StandardCharsets.UTF_8));
    HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).GET().build();
    HttpResponse<String> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while running QuestDB DDL", e);
    }
    if (response.statusCode() != 200 || response.body().contains("\"error\"")) {
      throw new IOException(
          "QuestDB at "
              + base
              + " refused '"
              + sql
              + "': HTTP "
              + response.statusCode()
              + " "
              + response.body());
    }
    return response.body();
  }
}
