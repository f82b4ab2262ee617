package org.labmeter.metering.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A small HTTP client for API tests: one method per call, the token as a bearer header. An event
 * stream ({@code text/event-stream}) is answered with its first chunk, then closed.
 */
public final class ApiClient {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http = HttpClient.newHttpClient();
  private final int port;

  public ApiClient(int port) {
    this.port = port;
  }

  /** An answer: status and body text. */
  public record Answer(int status, String body) {
    public JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new AssertionError("not JSON: " + body, e);
      }
    }
  }

  public Answer get(String path, String token) {
    return send("GET", path, token, null);
  }

  public Answer post(String path, String token, String json) {
    return send("POST", path, token, json);
  }

  private static byte[] firstChunk(InputStream in) throws IOException {
    byte[] buf = new byte[8192];
    int n = in.read(buf);
    return n <= 0 ? new byte[0] : Arrays.copyOf(buf, n);
  }

  public Answer send(String method, String path, String token, String json) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .method(
                method,
                json == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(json));
    if (json != null) {
      b.header("content-type", "application/json");
    }
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    try {
      HttpResponse<InputStream> r = http.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
      try (InputStream in = r.body()) {
        // an event stream does not end: its first chunk is the answer
        boolean stream =
            r.headers().firstValue("content-type").orElse("").startsWith("text/event-stream");
        byte[] body = stream ? firstChunk(in) : in.readAllBytes();
        return new Answer(r.statusCode(), new String(body, StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      throw new AssertionError(method + " " + path + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(method + " " + path + " interrupted", e);
    }
  }
}
