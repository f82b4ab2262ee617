package org.labmeter.metering.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.labmeter.metering.auth.Principal;
import org.labmeter.metering.auth.Role;
import org.labmeter.metering.dashboard.SimulatedFleet;
import org.labmeter.metering.derive.DerivationProfile;
import org.labmeter.metering.registry.Facility;
import org.labmeter.metering.registry.Instrument;
import org.labmeter.metering.registry.Registry;
import org.labmeter.metering.registry.RelationalStore;

/**
 * /api/v1/fleet and /api/v1/live with and without a principal. A stand-in for the authentication
 * handler puts the principal named by the {@code x-test-principal} header on the context. a-1 (unit
 * inst-a) runs at 1,000 W, b-1 (unit inst-b) is off at 5 W.
 */
class LiveFeedTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final HttpClient http = HttpClient.newHttpClient();
  static final SimulatedFleet samples = new SimulatedFleet();
  static RelationalStore store;
  static Vertx vertx;
  static HttpServer server;

  @BeforeAll
  static void start() throws Exception {
    store =
        RelationalStore.open("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "");
    Registry registry = new Registry(store.dataSource());
    DerivationProfile p =
        DerivationProfile.create(
            b ->
                b.offBelowW(10)
                    .onThresholdW(800)
                    .offThresholdW(500)
                    .minOn(Duration.ZERO)
                    .minOff(Duration.ZERO)
                    .maxSampleGap(Duration.ofSeconds(30)));
    Instant from = Instant.parse("2026-01-01T00:00:00Z");
    registry.saveFacility(new Facility("inst-a", "Institute A", "甲研究所"));
    registry.saveFacility(new Facility("inst-b", "Institute B", "乙研究所"));
    registry.addInstrument(new Instrument("a-1", "inst-a", "A one", "甲一", "M", "1"), p, from);
    registry.addInstrument(new Instrument("b-1", "inst-b", "B one", "乙一", "M", "2"), p, from);
    registry.addInstrument(new Instrument("c-1", "inst-a", "C one", "丙一", "M", "3"), p, from);
    long now = System.currentTimeMillis();
    samples.report("a-1", 1000, now, 120);
    samples.report("b-1", 5, now, 120);
    samples.report("c-1", 5, now, 120);
    vertx = Vertx.vertx();
    Router router = Router.router(vertx);
    router
        .route("/api/v1/*")
        .handler(
            ctx -> {
              String who = ctx.request().getHeader("x-test-principal");
              if (who != null) {
                ctx.put(
                    Principal.CONTEXT_KEY,
                    who.startsWith("staff:")
                        ? new Principal("t-1", Role.FACILITY_STAFF, who.substring(6))
                        : new Principal("t-2", Role.valueOf(who), null));
              }
              ctx.next();
            });
    new LiveRoutes(vertx, registry, samples, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT))
        .mount(router);
    server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1").await();
  }

  @AfterAll
  static void stop() {
    vertx.close().await();
    store.close();
  }

  static JsonNode fleet(String principal) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri("/api/v1/fleet"));
    if (principal != null) {
      b.header("x-test-principal", principal);
    }
    HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    return JSON.readTree(r.body());
  }

  static URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.actualPort() + path);
  }

  @Test
  void fleetShowsLiveStateSparklinesAndOnlyWhatThePrincipalMayRead() throws Exception {
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> fleet(null).at("/instruments/0/live/state").asText().equals("ACTIVE"));
    JsonNode all = fleet(null);
    assertThat(all.at("/counts/total").asInt()).isEqualTo(3);
    JsonNode a = all.at("/instruments/0");
    assertThat(a.get("id").asText()).isEqualTo("a-1");
    assertThat(a.at("/live/powerW").asDouble()).isEqualTo(1000.0);
    assertThat(a.at("/live/fresh").asBoolean()).isTrue();
    assertThat(a.get("sparkline")).hasSize(60);
    // two minutes of samples: the newest buckets are 1,000 W, the first ones empty (null, not 0)
    List<JsonNode> spark = iterate(a.get("sparkline"));
    assertThat(spark.get(0).isNull()).isTrue();
    assertThat(spark.stream().filter(n -> !n.isNull()).map(JsonNode::asDouble))
        .isNotEmpty()
        .allMatch(w -> w == 1000.0);
    assertThat(all.at("/instruments/1/id").asText()).isEqualTo("b-1");
    assertThat(all.at("/instruments/1/live/state").asText()).isIn("OFF", "ACTIVE");
    // no ledger rows: no hours rather than zero hours
    assertThat(a.at("/today/activeHours").isNull()).isTrue();

    JsonNode staffA = fleet("staff:inst-a");
    assertThat(staffA.get("instruments").findValuesAsText("id")).containsExactly("a-1", "c-1");
    assertThat(staffA.get("facilities")).hasSize(1);
    assertThat(fleet("EVALUATOR").get("instruments")).hasSize(3);
    assertThat(fleet("AGENT_ENROLLMENT").get("instruments")).isEmpty();
  }

  @Test
  void liveFeedSendsASnapshotThenChangesOfVisibleInstrumentsOnly() throws Exception {
    LinkedBlockingQueue<String> events = new LinkedBlockingQueue<>();
    HttpResponse<InputStream> r =
        http.send(
            HttpRequest.newBuilder(uri("/api/v1/live"))
                .header("x-test-principal", "staff:inst-b")
                .build(),
            HttpResponse.BodyHandlers.ofInputStream());
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.headers().firstValue("content-type").orElse("")).startsWith("text/event-stream");
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader in =
                  new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
                String event = null;
                for (String line; (line = in.readLine()) != null; ) {
                  if (line.startsWith("event: ")) {
                    event = line.substring(7);
                  } else if (line.startsWith("data: ")) {
                    events.add(event + " " + line.substring(6));
                  }
                }
              } catch (Exception e) {
                // the stream closes when the test ends
              }
            },
            "sse-test-reader");
    reader.setDaemon(true);
    reader.start();
    String first = next(events, "snapshot");
    JsonNode snap = JSON.readTree(first.substring("snapshot ".length()));
    assertThat(snap.get("instruments")).hasSize(1);
    assertThat(snap.at("/instruments/0/id").asText()).isEqualTo("b-1");

    // b-1 is switched on; c-1 (not visible to inst-b) too
    long now = System.currentTimeMillis();
    samples.report("b-1", 1200, now, 2);
    samples.report("c-1", 1200, now, 2);
    String update = next(events, "update");
    JsonNode u = JSON.readTree(update.substring("update ".length()));
    assertThat(u.findValuesAsText("id")).containsOnly("b-1");
    assertThat(u.at("/instruments/0/state").asText()).isEqualTo("ACTIVE");
    assertThat(u.at("/instruments/0/powerW").asDouble()).isEqualTo(1200.0);
    assertThat(u.at("/instruments/0/fresh").asBoolean()).isTrue();
    r.body().close();
  }

  static String next(LinkedBlockingQueue<String> q, String event) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      String e = q.poll(1, TimeUnit.SECONDS);
      if (e != null && e.startsWith(event + " ")) {
        return e;
      }
    }
    throw new AssertionError("no '" + event + "' event within 10 s");
  }

  static List<JsonNode> iterate(JsonNode array) {
    List<JsonNode> out = new java.util.ArrayList<>();
    array.forEach(out::add);
    return out;
  }
}
