package org.labmeter.collector.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Reads the newest rows of {@code lm_quarantine} through QuestDB's {@code /exec}, for operators.
 */
public final class QuarantineReader {
  private static final Pattern WORD = Pattern.compile("[A-Za-z0-9._-]{1,64}");
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One refused payload; {@code payloadBase64} holds at most {@link RecordTables#PAYLOAD_CAP}. */
  public record Row(
      Instant receivedAt,
      String agent,
      String reason,
      String topic,
      String detail,
      long payloadBytes,
      String payloadBase64) {}

  private final String baseUrl;
  private final HttpClient http;

  public QuarantineReader(String httpBaseUrl) {
    this.baseUrl = httpBaseUrl;
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  }

  /**
   * Newest first.
   *
   * @param agent only this agent's rows, or {@code null}
   * @param reason only this reason (e.g. {@code bad_signature}), or {@code null}
   */
  public List<Row> newest(String agent, String reason, int limit) throws IOException {
    if (limit < 1 || limit > 10_000) {
      throw new IllegalArgumentException("limit must be 1..10000, got " + limit);
    }
    StringBuilder sql =
        new StringBuilder(
            "SELECT cast(received_at AS LONG), agent, reason, topic, detail, payload_bytes,"
                + " payload FROM lm_quarantine WHERE 1 = 1");
    if (agent != null) {
      sql.append(" AND agent = '").append(word("agent", agent)).append('\'');
    }
    if (reason != null) {
      sql.append(" AND reason = '").append(word("reason", reason)).append('\'');
    }
    sql.append(" ORDER BY received_at DESC LIMIT ").append(limit);
    JsonNode rows = JSON.readTree(StoreSchema.exec(http, baseUrl, sql.toString())).get("dataset");
    List<Row> out = new ArrayList<>(rows.size());
    for (JsonNode r : rows) {
      long micros = r.get(0).asLong();
      out.add(
          new Row(
              Instant.ofEpochSecond(micros / 1_000_000, (micros % 1_000_000) * 1_000),
              r.get(1).asText(),
              r.get(2).asText(),
              r.get(3).asText(),
              r.get(4).asText(),
              r.get(5).asLong(),
              r.get(6).asText()));
    }
    return out;
  }

  private static String word(String what, String value) {
    if (!WORD.matcher(value).matches()) {
      throw new IllegalArgumentException(what + " must be 1-64 of [A-Za-z0-9._-], got " + value);
    }
    return value;
  }
}
