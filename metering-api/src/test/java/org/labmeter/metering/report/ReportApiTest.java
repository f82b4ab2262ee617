package org.labmeter.metering.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.labmeter.metering.attribution.SessionKind;
import org.labmeter.metering.attribution.UsageSession;
import org.labmeter.metering.auth.Role;
import org.labmeter.metering.auth.TokenStore;
import org.labmeter.metering.config.ApiConfig;
import org.labmeter.metering.derive.DerivationProfile;
import org.labmeter.metering.derive.ObservationSeries;
import org.labmeter.metering.http.MeteringApi;
import org.labmeter.metering.ledger.EvaluationPeriod;
import org.labmeter.metering.registry.Facility;
import org.labmeter.metering.registry.Instrument;
import org.labmeter.metering.registry.Registry;
import org.labmeter.metering.registry.RelationalStore;
import org.labmeter.metering.sessions.SessionRepository;
import org.labmeter.metering.store.SampleReader;
import org.labmeter.wire.Quality;
import org.labmeter.wire.RunFlag;

/**
 * Periods and reports over HTTP. Samples: 1 kW every 10 s 10:00:00–10:29:50 on 2026-03-02, then 100
 * W to 10:59:50: ACTIVE 10:00–10:30 (0.5 h). Session S1 (external, 09:50–10:40) gets all of it; S2
 * (internal, 10:45–11:00) none.
 */
class ReportApiTest {
  static final long T10 = Instant.parse("2026-03-02T10:00:00Z").toEpochMilli();
  static RelationalStore store;
  static MeteringApi api;
  static String adminToken;
  static final HttpClient http = HttpClient.newHttpClient();
  static final ObjectMapper json = new ObjectMapper();

  @BeforeAll
  static void start() throws Exception {
    store =
        RelationalStore.open("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "");
    Registry registry = new Registry(store.dataSource());
    registry.saveFacility(new Facility("inst-a", "Institute A", "甲研究所"));
    registry.addInstrument(
        new Instrument("nmr-1", "inst-a", "NMR 600", "核磁共振", "X600", "A-001"),
        DerivationProfile.create(
            b ->
                b.offBelowW(10)
                    .onThresholdW(800)
                    .offThresholdW(500)
                    .minOn(Duration.ofSeconds(30))
                    .minOff(Duration.ofSeconds(30))
                    .maxSampleGap(Duration.ofSeconds(30))),
        Instant.parse("2026-01-01T00:00:00Z"));
    new SessionRepository(store.dataSource())
        .insertAll(
            "nmr-1",
            List.of(
                UsageSession.create(
                    b ->
                        b.id("S1")
                            .kind(SessionKind.BOOKING)
                            .start(T10 - 600_000L)
                            .end(T10 + 2_400_000L)
                            .user("李伟", "univ-b")
                            .funding("NSFC")
                            .fee(new java.math.BigDecimal("300.00"))),
                UsageSession.create(
                    b ->
                        b.id("S2")
                            .kind(SessionKind.BOOKING)
                            .start(T10 + 2_700_000L)
                            .end(T10 + 3_600_000L)
                            .user("Zhang San", "inst-a"))),
            "test",
            Instant.parse("2026-03-05T00:00:00Z"));
    SampleReader reader =
        new SampleReader() {
          @Override
          public ObservationSeries read(String id, long from, long to) {
            ObservationSeries.Builder b = ObservationSeries.builder();
            for (long t = T10; t < T10 + 3_600_000L; t += 10_000L) {
              if (t >= from && t < to) {
                b.add(t, t < T10 + 1_800_000L ? 1000 : 100, RunFlag.NONE, Quality.GOOD, true);
              }
            }
            return b.build();
          }

          @Override
          public boolean ping() {
            return true;
          }

          @Override
          public void close() {}
        };
    adminToken = new TokenStore(store.dataSource()).create(Role.ADMIN, null, "test admin").bearer();
    api =
        new MeteringApi(
            ApiConfig.create(b -> b.port(0)),
            registry,
            reader,
            new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
    api.start().get();
  }

  @AfterAll
  static void stop() {
    api.stop();
    store.close();
  }

  static HttpResponse<byte[]> call(String method, String path, String body) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + path))
            .header("Authorization", "Bearer " + adminToken)
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body))
            .header("content-type", "application/json")
            .build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }

  @Test
  void closedPeriodReportsAndExports() throws Exception {
    HttpResponse<byte[]> created =
        call(
            "POST",
            "/api/v1/periods",
            "{\"id\":\"mar\",\"name\":\"March 2026\",\"from\":\"2026-03-01\",\"to\":\"2026-03-31\"}");
    assertThat(created.statusCode()).isEqualTo(201);
    HttpResponse<byte[]> closed =
        call("POST", "/api/v1/periods/mar/close", "{\"author\":\"facility office\"}");
    assertThat(closed.statusCode()).isEqualTo(201);
    assertThat(json.readTree(closed.body()).get("version").asInt()).isEqualTo(1);
    assertThat(json.readTree(closed.body()).get("rows").asInt()).isEqualTo(31);
    JsonNode list = json.readTree(call("GET", "/api/v1/periods", null).body());
    assertThat(list.at("/0/status").asText()).isEqualTo("CLOSED");

    JsonNode r =
        json.readTree(call("GET", "/api/v1/instruments/nmr-1/report?period=mar", null).body());
    assertThat(r.get("effectiveHours").asDouble()).isEqualTo(0.5);
    assertThat(r.get("externalHours").asDouble()).isEqualTo(0.5);
    assertThat(r.get("sharingRate").asDouble()).isEqualTo(1.0);
    // quota 1,600 h x 31/365 = 135.8904 h; utilisation 0.5 / that = 0.5 x 365 / 49,600
    assertThat(r.get("quotaHours").asDouble()).isCloseTo(1600.0 * 31 / 365, within());
    assertThat(r.get("utilisation").asDouble()).isCloseTo(0.5 * 365 / 49_600, within());
    assertThat(r.get("coverage").asDouble()).isEqualTo(1.0);
    assertThat(r.get("snapshotVersion").asInt()).isEqualTo(1);

    HttpResponse<byte[]> csv =
        call("GET", "/api/v1/facilities/inst-a/report?period=mar&format=csv&lang=zh", null);
    assertThat(csv.statusCode()).isEqualTo(200);
    byte[] b = csv.body();
    assertThat(Arrays.copyOf(b, 3)).containsExactly(0xEF, 0xBB, 0xBF);
    String[] lines = new String(b, 3, b.length - 3, StandardCharsets.UTF_8).split("\r\n");
    assertThat(lines[0]).startsWith("仪器编号,仪器名称,评价期,有效工作机时,对外服务机时,共享率,利用率");
    assertThat(lines[1]).startsWith("nmr-1,核磁共振,mar,0.50,0.50,1.0000,0.0037");
    assertThat(lines[2]).startsWith(",合计,mar,0.50,0.50");

    HttpResponse<byte[]> records =
        call(
            "GET",
            "/api/v1/instruments/nmr-1/service-records?period=mar&lang=zh&zone=Asia/Shanghai",
            null);
    assertThat(records.statusCode()).isEqualTo(200);
    byte[] rb = records.body();
    assertThat(Arrays.copyOf(rb, 3)).containsExactly(0xEF, 0xBB, 0xBF);
    String[] rl = new String(rb, 3, rb.length - 3, StandardCharsets.UTF_8).split("\r\n");
    assertThat(rl).hasSize(3);
    // S1: 50 min = 0.8333 h -> 0.8; ends 10:40Z = 18:40 Shanghai -> 18:00; effective 0.5 h
    assertThat(rl[1]).isEqualTo("S1,李伟,univ-b,130,占用,科学研究,2026-03-02 18:00,0.8,0.5,NSFC,300.00,,B");
    // S2: 15 min = 0.25 h -> 0.3 (half up); internal 120; no-show, no effective time
    assertThat(rl[2]).startsWith("S2,Zhang San,inst-a,120,占用,科学研究,2026-03-02 19:00,0.3,0.0,");
  }

  @Test
  void badRequestsNameTheField() throws Exception {
    HttpResponse<byte[]> noPeriod = call("GET", "/api/v1/instruments/nmr-1/report", null);
    assertThat(noPeriod.statusCode()).isEqualTo(400);
    assertThat(json.readTree(noPeriod.body()).at("/error/field").asText()).isEqualTo("period");
    HttpResponse<byte[]> unknown =
        call("GET", "/api/v1/instruments/nmr-1/report?period=nope", null);
    assertThat(unknown.statusCode()).isEqualTo(404);
    HttpResponse<byte[]> badDate =
        call(
            "POST",
            "/api/v1/periods",
            "{\"id\":\"x\",\"name\":\"x\",\"from\":\"soon\",\"to\":\"2026-01-01\"}");
    assertThat(badDate.statusCode()).isEqualTo(400);
    assertThat(json.readTree(badDate.body()).at("/error/field").asText()).isEqualTo("from");
  }

  @Test
  void quotaIsOneFullQuotaPerWholeYear() {
    Instant at = Instant.EPOCH;
    assertThat(ReportService.quotaHours(EvaluationPeriod.calendarYear(2024, at), 1600))
        .isEqualTo(1600.0);
    assertThat(ReportService.quotaHours(EvaluationPeriod.julyToJune(2025, at), 1600))
        .isEqualTo(1600.0);
    assertThat(ReportService.quotaHours(EvaluationPeriod.twoYears(2026, at), 1600))
        .isEqualTo(3200.0);
  }

  static org.assertj.core.data.Offset<Double> within() {
    return org.assertj.core.data.Offset.offset(1e-9);
  }
}
