package org.labmeter.collector;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

/**
 * Reads back from QuestDB through its HTTP {@code /exec} endpoint, as an evaluator's tool would.
 */
public final class QuestDbQuery {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final ObjectMapper JSON = new ObjectMapper();

  private QuestDbQuery() {}

  /** The {@code dataset} array of the answer. */
  public static JsonNode rows(String baseUrl, String sql) {
    try {
      HttpResponse<String> response =
          HTTP.send(
              HttpRequest.newBuilder(
                      URI.create(
                          baseUrl
                              + "/exec?query="
                              + URLEncoder.encode(sql, StandardCharsets.UTF_8)))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      JsonNode body = JSON.readTree(response.body());
      if (response.statusCode() != 200 || !body.has("dataset")) {
        throw new IllegalStateException("QuestDB answered " + response.body());
      }
      return body.get("dataset");
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The single number a {@code select count() ...} returns. */
  public static long count(String baseUrl, String sql) {
    return rows(baseUrl, sql).get(0).get(0).asLong();
  }
}
