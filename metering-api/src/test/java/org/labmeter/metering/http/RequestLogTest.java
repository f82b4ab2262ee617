package org.labmeter.metering.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.labmeter.metering.auth.Role;
import org.labmeter.metering.auth.TokenStore;
import org.labmeter.metering.config.ApiConfig;
import org.labmeter.metering.derive.ObservationSeries;
import org.labmeter.metering.registry.Registry;
import org.labmeter.metering.registry.RelationalStore;
import org.labmeter.metering.store.SampleReader;
import org.slf4j.LoggerFactory;

/** Request ids in headers, error bodies and the MDC, and one access line per request. */
class RequestLogTest {
  static RelationalStore store;
  static MeteringApi api;
  static String admin;
  static final HttpClient http = HttpClient.newHttpClient();
  static final ListAppender<ILoggingEvent> lines = new ListAppender<>();

  @BeforeAll
  static void start() throws Exception {
    ((Logger) LoggerFactory.getLogger("org.labmeter.metering.access")).addAppender(lines);
    lines.start();
    store =
        RelationalStore.open("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "");
    admin = new TokenStore(store.dataSource()).create(Role.ADMIN, null, "admin").bearer();
    api =
        new MeteringApi(
            ApiConfig.create(b -> b.port(0)),
            new Registry(store.dataSource()),
            new SampleReader() {
              @Override
              public ObservationSeries read(String id, long from, long to) {
                return ObservationSeries.builder().build();
              }

              @Override
              public boolean ping() {
                return true;
              }

              @Override
              public void close() {}
            },
            new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
    api.start().get();
  }

  @AfterAll
  static void stop() {
    ((Logger) LoggerFactory.getLogger("org.labmeter.metering.access")).detachAppender(lines);
    api.stop();
    store.close();
  }

  static HttpResponse<String> get(String path, String... headers) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + path));
    if (headers.length > 0) {
      b.headers(headers);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void echoesASaneIncomingIdInTheHeaderTheErrorBodyAndTheAccessLine() throws Exception {
    HttpResponse<String> r =
        get(
            "/api/v1/instruments/nope",
            "Authorization",
            "Bearer " + admin,
            "X-Request-Id",
            "trace-42.a:b");

    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(r.headers().firstValue("X-Request-Id")).hasValue("trace-42.a:b");
    assertThat(r.body()).contains("\"requestId\":\"trace-42.a:b\"");
    ILoggingEvent line = accessLine("trace-42.a:b");
    assertThat(line.getFormattedMessage())
        .startsWith("GET /api/v1/instruments/nope 404 ")
        .endsWith(" ms id=trace-42.a:b");
    assertThat(line.getMDCPropertyMap()).containsEntry(RequestLog.MDC_KEY, "trace-42.a:b");
  }

  @Test
  void replacesAMissingOrUnsaneIdWithANewUuid() throws Exception {
    String tooLong = "x".repeat(65);
    for (String[] headers :
        List.of(
            new String[0],
            new String[] {"X-Request-Id", tooLong},
            new String[] {"X-Request-Id", "bad id\tinjected"})) {
      HttpResponse<String> r = get("/health", headers);
      assertThat(r.statusCode()).isEqualTo(200);
      String id = r.headers().firstValue("X-Request-Id").orElseThrow();
      assertThat(UUID.fromString(id).toString()).isEqualTo(id);
      assertThat(accessLine(id).getFormattedMessage()).startsWith("GET /health 200 ");
    }
  }

  @Test
  void neverLogsTokensFromTheQueryOrTheAuthorizationHeader() throws Exception {
    HttpResponse<String> r =
        get(
            "/api/v1/instruments?token=s3cret-query&access_token=s3cret-2",
            "Authorization",
            "Bearer " + admin,
            "X-Request-Id",
            "no-secrets");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(accessLine("no-secrets").getFormattedMessage())
        .isEqualTo(accessLine("no-secrets").getFormattedMessage().replace("s3cret", ""))
        .startsWith("GET /api/v1/instruments 200 ");
    String secret = admin.substring(admin.indexOf('_', 3) + 1);
    assertThat(lines.list)
        .noneMatch(e -> e.getFormattedMessage().contains("s3cret"))
        .noneMatch(e -> e.getFormattedMessage().contains(secret));
  }

  private static ILoggingEvent accessLine(String id) {
    return await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                List.copyOf(lines.list).stream()
                    .filter(e -> e.getFormattedMessage().endsWith(" id=" + id))
                    .findFirst()
                    .orElse(null),
            e -> e != null);
  }
}
