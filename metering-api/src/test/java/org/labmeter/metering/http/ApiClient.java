package org.labmeter.metering.http;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import javax.net.ssl.SSLSession;

/**
 * Every HTTP call the contract tests make goes through here, so that what each request carries in
 * common (the {@code Authorization: Bearer} header of the token it was made with) is set in one
 * place.
 */
final class ApiClient {
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private final String base;
  private final String token;

  /**
   * @param token the API token every request carries, or null for none
   */
  ApiClient(int port, String token) {
    this.base = "http://127.0.0.1:" + port;
    this.token = token;
  }

  HttpResponse<byte[]> get(String path) throws Exception {
    return send(request(path).GET());
  }

  HttpResponse<byte[]> post(String path, String contentType, String body) throws Exception {
    return send(
        request(path)
            .header("content-type", contentType)
            .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)));
  }

  /**
   * A GET whose answer never ends (an event stream): the status, the headers and the first chunk of
   * the body, then the connection is closed.
   */
  HttpResponse<byte[]> getFirstChunk(String path) throws Exception {
    HttpResponse<InputStream> r =
        http.send(request(path).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
    byte[] first;
    try (InputStream in = r.body()) {
      byte[] buf = new byte[8192];
      int n = in.read(buf);
      first = n <= 0 ? new byte[0] : java.util.Arrays.copyOf(buf, n);
    }
    return new FirstChunk(r, first);
  }

  private HttpRequest.Builder request(String path) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30));
    return token == null ? b : b.header("Authorization", "Bearer " + token);
  }

  private HttpResponse<byte[]> send(HttpRequest.Builder request) throws Exception {
    return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  /** A streamed answer cut after its first chunk. */
  private record FirstChunk(HttpResponse<InputStream> r, byte[] body)
      implements HttpResponse<byte[]> {
    @Override
    public int statusCode() {
      return r.statusCode();
    }

    @Override
    public HttpRequest request() {
      return r.request();
    }

    @Override
    public Optional<HttpResponse<byte[]>> previousResponse() {
      return Optional.empty();
    }

    @Override
    public HttpHeaders headers() {
      return r.headers();
    }

    @Override
    public Optional<SSLSession> sslSession() {
      return r.sslSession();
    }

    @Override
    public URI uri() {
      return r.uri();
    }

    @Override
    public HttpClient.Version version() {
      return r.version();
    }
  }
}
