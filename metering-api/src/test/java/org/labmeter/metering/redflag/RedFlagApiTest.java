package org.labmeter.metering.redflag;

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
import java.time.LocalDate;
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
import org.labmeter.metering.http.MeteringApi;
import org.labmeter.metering.ledger.EvaluationPeriod;
import org.labmeter.metering.ledger.LedgerDay;
import org.labmeter.metering.ledger.LedgerRepository;
import org.labmeter.metering.ledger.LedgerTotals;
import org.labmeter.metering.ledger.PeriodRepository;
import org.labmeter.metering.registry.Facility;
import org.labmeter.metering.registry.Instrument;
import org.labmeter.metering.registry.Registry;
import org.labmeter.metering.registry.RelationalStore;
import org.labmeter.metering.store.SampleReader;
import org.labmeter.wire.Quality;
import org.labmeter.wire.RunFlag;

/**
 * Red flags over HTTP. Instrument "dl-1" draws exactly 1,000 W every minute from 01:00 to 05:00 on
 * 2026-03-02 with 100 W around it (a dummy load), and its ledger holds 24 h ACTIVE on 1–3 March
 * (around the clock).
 */
class RedFlagApiTest {
  static final long DAY0 = Instant.parse("2026-03-02T00:00:00Z").toEpochMilli();
  static RelationalStore store;
  static MeteringApi api;
  static String evaluator;
  static final HttpClient http = HttpClient.newHttpClient();
  static final ObjectMapper json = new ObjectMapper();

  @BeforeAll
  static void start() throws Exception {
    store =
        RelationalStore.open("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "");
    Registry registry = new Registry(store.dataSource());
    registry.saveFacility(new Facility("inst-a", "Institute A", "甲研究所"));
    registry.addInstrument(
        new Instrument("dl-1", "inst-a", "Oven", "烘箱", "O1", "A-9"),
        DerivationProfile.create(
            b ->
                b.offBelowW(10)
                    .onThresholdW(800)
                    .offThresholdW(500)
                    .minOn(Duration.ZERO)
                    .minOff(Duration.ZERO)
                    .maxSampleGap(Duration.ofMinutes(2))),
        Instant.parse("2026-01-01T00:00:00Z"));
    LedgerRepository ledger = new LedgerRepository(store.dataSource());
    for (int d = 1; d <= 3; d++) {
      long[] v = new long[LedgerTotals.COLUMNS.size()];
      v[LedgerTotals.COLUMNS.indexOf("active_ms")] = 86_400_000L;
      ledger.replaceDay(
          new LedgerDay(
              "dl-1",
              LocalDate.of(2026, 3, d),
              LedgerTotals.of(v),
              "lm-derive/1",
              "lm-attribute/1",
              "h",
              Instant.EPOCH),
          List.of());
    }
    new PeriodRepository(store.dataSource())
        .insert(
            new EvaluationPeriod(
                "m3",
                "March",
                LocalDate.of(2026, 3, 1),
                LocalDate.of(2026, 3, 31),
                EvaluationPeriod.Status.OPEN,
                Instant.EPOCH));
    SampleReader reader =
        new SampleReader() {
          @Override
          public ObservationSeries read(String id, long from, long to) {
            ObservationSeries.Builder b = ObservationSeries.builder();
            for (int m = 0; m < 6 * 60; m++) {
              long t = DAY0 + m * 60_000L;
              if (t >= from && t < to) {
                b.add(t, m >= 60 && m < 300 ? 1000 : 100, RunFlag.NONE, Quality.GOOD, true);
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
    evaluator =
        new TokenStore(store.dataSource()).create(Role.EVALUATOR, null, "evaluator").bearer();
    api =
        new MeteringApi(
            ApiConfig.create(b -> b.host("127.0.0.1").port(0)),
            registry,
            reader,
            new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
    api.start().join();
  }

  @AfterAll
  static void stop() {
    api.stop();
    store.close();
  }

  static HttpResponse<String> get(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + path))
            .header("Authorization", "Bearer " + evaluator)
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void theWindowsFlagsComeWithTheirEvidence() throws Exception {
    HttpResponse<String> r =
        get("/api/v1/instruments/dl-1/red-flags?from=2026-03-01T00:00:00Z&to=2026-03-04T00:00:00Z");

    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode flags = json.readTree(r.body()).get("flags");
    assertThat(flags).hasSize(2);
    JsonNode clock = flags.get(0);
    assertThat(clock.get("rule").asText()).isEqualTo("AROUND_THE_CLOCK");
    assertThat(clock.get("from").asText()).isEqualTo("2026-03-01T00:00:00Z");
    assertThat(clock.get("to").asText()).isEqualTo("2026-03-04T00:00:00Z");
    JsonNode dummy = flags.get(1);
    assertThat(dummy.get("rule").asText()).isEqualTo("DUMMY_LOAD");
    assertThat(dummy.get("from").asText()).isEqualTo("2026-03-02T01:00:00Z");
    assertThat(dummy.get("to").asText()).isEqualTo("2026-03-02T05:00:00Z");
    assertThat(dummy.get("observed").get("powerCv").asDouble()).isZero();
    assertThat(dummy.get("thresholds").get("maxPowerCv").asDouble()).isEqualTo(0.005);
  }

  @Test
  void aWindowTooLongIsRefusedNamingTheParameter() throws Exception {
    HttpResponse<String> r =
        get("/api/v1/instruments/dl-1/red-flags?from=2026-01-01T00:00:00Z&to=2026-06-01T00:00:00Z");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(json.readTree(r.body()).get("error").get("field").asText()).isEqualTo("to");
    assertThat(get("/api/v1/instruments/nope/red-flags").statusCode()).isEqualTo(404);
  }

  @Test
  void theInstrumentReportCarriesTheLedgerFlags() throws Exception {
    HttpResponse<String> r = get("/api/v1/instruments/dl-1/report?period=m3");

    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode flags = json.readTree(r.body()).get("redFlags");
    assertThat(flags).hasSize(1);
    assertThat(flags.get(0).get("rule").asText()).isEqualTo("AROUND_THE_CLOCK");
    assertThat(flags.get(0).get("observed").get("days").asDouble()).isEqualTo(3.0);
  }
}
