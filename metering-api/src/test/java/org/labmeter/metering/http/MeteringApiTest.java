package org.labmeter.metering.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.labmeter.metering.auth.Role;
import org.labmeter.metering.auth.TokenStore;
import org.labmeter.metering.config.ApiConfig;
import org.labmeter.metering.derive.DerivationProfile;
import org.labmeter.metering.derive.ObservationSeries;
import org.labmeter.metering.registry.Facility;
import org.labmeter.metering.registry.Instrument;
import org.labmeter.metering.registry.Registry;
import org.labmeter.metering.registry.RelationalStore;
import org.labmeter.metering.store.SampleReader;
import org.labmeter.wire.Quality;
import org.labmeter.wire.RunFlag;

/**
 * The API over a real H2 registry and a sample reader we own that serves a hand-written series:
 * 10:00:00–10:30:00 at 1 kW every 10 s, then 100 W (standby) until 11:00:00, then nothing.
 */
class MeteringApiTest {
  static final Instant T0 = Instant.parse("2026-03-02T10:00:00Z");
  static RelationalStore store;
  static MeteringApi api;
  static String adminToken;
  static final HttpClient http = HttpClient.newHttpClient();
  static final ObjectMapper json = new ObjectMapper();

  static final class ListReader implements SampleReader {
    final List<long[]> rows = new ArrayList<>();

    @Override
    public ObservationSeries read(String instrumentId, long fromMillis, long toMillis) {
      ObservationSeries.Builder b = ObservationSeries.builder();
      for (long[] r : rows) {
        if (r[0] >= fromMillis && r[0] < toMillis) {
          b.add(r[0], r[1], RunFlag.NONE, Quality.GOOD, r[2] == 1);
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
  }

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
    ListReader reader = new ListReader();
    long t0 = T0.toEpochMilli();
    for (long t = t0; t < t0 + 3_600_000L; t += 10_000L) {
      // samples in the second quarter hour come from a batch whose chain link is not confirmed
      boolean verified = t < t0 + 900_000L || t >= t0 + 1_800_000L;
      reader.rows.add(new long[] {t, t < t0 + 1_800_000L ? 1000 : 100, verified ? 1 : 0});
    }
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
    api.stop();
    store.close();
  }

  static HttpResponse<String> get(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + path))
            .header("Authorization", "Bearer " + adminToken)
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void usageOverTwoHoursMatchesTheHandWorkedAnswer() throws Exception {
    HttpResponse<String> r =
        get("/api/v1/instruments/nmr-1/usage?from=2026-03-02T10:00:00Z&to=2026-03-02T12:00:00Z");
    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode u = json.readTree(r.body());
    // ACTIVE 10:00:00-10:30:00 (the sample at 10:30:00 is 100 W <= T_off): 1800 s.
    assertThat(u.at("/millis/ACTIVE").asLong()).isEqualTo(1_800_000L);
    // STANDBY from 10:30:00 to 10:59:50. The last sample (10:59:50) has no successor and the
    // window ends more than maxSampleGap after it, so the whole gap from it to 12:00 is UNKNOWN.
    assertThat(u.at("/millis/STANDBY").asLong()).isEqualTo(1_790_000L);
    assertThat(u.at("/millis/UNKNOWN").asLong()).isEqualTo(3_610_000L);
    assertThat(u.at("/millis/OFF").asLong()).isZero();
    // 15 of the 30 active minutes are unverified: coverage 0.5, one evidence gap 10:15-10:30.
    assertThat(u.get("coverage").asDouble()).isEqualTo(0.5);
    assertThat(u.at("/evidenceGaps/0/start").asText()).isEqualTo("2026-03-02T10:15:00Z");
    assertThat(u.at("/evidenceGaps/0/end").asText()).isEqualTo("2026-03-02T10:30:00Z");
    assertThat(u.get("sessions")).hasSize(1);
    assertThat(u.at("/sessions/0/start").asText()).isEqualTo("2026-03-02T10:00:00Z");
    assertThat(u.at("/hours/ACTIVE").asDouble()).isEqualTo(0.5);
    assertThat(u.get("algorithmVersion").asText()).isEqualTo("lm-derive/1");
    assertThat(u.get("profileHash").asText()).hasSize(64);
  }

  @Test
  void instrumentsAreListedWithTheirLiveState() throws Exception {
    HttpResponse<String> r = get("/api/v1/instruments");
    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode list = json.readTree(r.body());
    assertThat(list).hasSize(1);
    assertThat(list.get(0).get("id").asText()).isEqualTo("nmr-1");
    assertThat(list.get(0).get("nameZh").asText()).isEqualTo("核磁共振");
    // the hand-written samples are years away from now: the live state is UNKNOWN, never OFF
    assertThat(list.get(0).at("/live/state").asText()).isEqualTo("UNKNOWN");
  }

  @Test
  void badRequestsGetAnErrorNamingTheField() throws Exception {
    HttpResponse<String> unknown = get("/api/v1/instruments/nope/usage");
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(json.readTree(unknown.body()).at("/error/field").asText()).isEqualTo("id");

    HttpResponse<String> badDate = get("/api/v1/instruments/nmr-1/usage?from=yesterday");
    assertThat(badDate.statusCode()).isEqualTo(400);
    assertThat(json.readTree(badDate.body()).at("/error/field").asText()).isEqualTo("from");
    assertThat(json.readTree(badDate.body()).at("/error/code").asText())
        .isEqualTo("invalid_parameter");

    HttpResponse<String> reversed =
        get("/api/v1/instruments/nmr-1/usage?from=2026-03-02T12:00:00Z&to=2026-03-02T10:00:00Z");
    assertThat(reversed.statusCode()).isEqualTo(400);
    assertThat(json.readTree(reversed.body()).at("/error/message").asText())
        .contains("must be before");
  }

  @Test
  void recentPowerIsBucketedAndMissingTelemetryIsAHoleNotZero() throws Exception {
    // the hand-written samples lie years before now: every bucket of the last 15 minutes is empty
    HttpResponse<String> r = get("/api/v1/instruments/nmr-1/power?minutes=15&points=30");
    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode p = json.readTree(r.body());
    assertThat(p.get("watts")).hasSize(30);
    assertThat(p.get("watts")).allMatch(JsonNode::isNull);
    assertThat(p.get("bucketMillis").asLong()).isEqualTo(30_000L);

    HttpResponse<String> bad = get("/api/v1/instruments/nmr-1/power?minutes=0");
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(json.readTree(bad.body()).at("/error/field").asText()).isEqualTo("minutes");
  }

  @Test
  void healthAndMetricsAnswer() throws Exception {
    HttpResponse<String> health = get("/health");
    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(json.readTree(health.body()).get("status").asText()).isEqualTo("UP");
    assertThat(get("/metrics").statusCode()).isEqualTo(200);
    assertThat(get("/").body()).contains("LabMeter");
  }
}
