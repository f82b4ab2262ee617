package org.labmeter.metering.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
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
import org.labmeter.metering.sessions.SessionRepository;
import org.labmeter.metering.store.SampleReader;
import org.labmeter.wire.Quality;
import org.labmeter.wire.RunFlag;

/**
 * Session import and attribution over a real H2 registry and a sample reader we own. Every
 * instrument sees the same hand-written day (2026-03-02, UTC), one sample every 10 s from 08:00:00
 * to 15:59:50, all verified: 1 kW (ACTIVE) in 10:00–11:00, 13:00–13:30 and 15:00–15:20, 100 W
 * (STANDBY) otherwise. Each test imports into its own instrument.
 */
class SessionImportApiTest {
  static final String DAY = "2026-03-02T";
  static RelationalStore store;
  static Registry registry;
  static SessionRepository sessions;
  static MeteringApi api;
  static String adminToken;
  static final HttpClient http = HttpClient.newHttpClient();
  static final ObjectMapper json = new ObjectMapper();

  static final String HEADER =
      "id,kind,start,end,user,userEntityId,serviceWay,direction,purpose,funding,fee,voucherId,"
          + "voucherRedeemed,invoiced,prep,post\r\n";

  /** Serves the same day of samples for every instrument. */
  static final class DayReader implements SampleReader {
    @Override
    public ObservationSeries read(String instrumentId, long fromMillis, long toMillis) {
      ObservationSeries.Builder b = ObservationSeries.builder();
      long t0 = at("08:00:00");
      for (long t = t0; t < at("16:00:00"); t += 10_000L) {
        if (t >= fromMillis && t < toMillis) {
          b.add(t, active(t) ? 1000 : 100, RunFlag.NONE, Quality.GOOD, true);
        }
      }
      return b.build();
    }

    private static boolean active(long t) {
      return (t >= at("10:00:00") && t < at("11:00:00"))
          || (t >= at("13:00:00") && t < at("13:30:00"))
          || (t >= at("15:00:00") && t < at("15:20:00"));
    }

    @Override
    public boolean ping() {
      return true;
    }

    @Override
    public void close() {}
  }

  static long at(String time) {
    return Instant.parse(DAY + time + "Z").toEpochMilli();
  }

  @BeforeAll
  static void start() throws Exception {
    store =
        RelationalStore.open("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "");
    registry = new Registry(store.dataSource());
    sessions = new SessionRepository(store.dataSource());
    registry.saveFacility(new Facility("inst-a", "Institute A", "甲研究所"));
    DerivationProfile profile =
        DerivationProfile.create(
            b ->
                b.offBelowW(10)
                    .onThresholdW(800)
                    .offThresholdW(500)
                    .minOn(Duration.ofSeconds(30))
                    .minOff(Duration.ofSeconds(30))
                    .maxSampleGap(Duration.ofSeconds(30)));
    for (String id : new String[] {"nmr-1", "xrd-1", "icp-1", "sem-1", "ms-1", "tem-1"}) {
      registry.addInstrument(
          new Instrument(id, "inst-a", id.toUpperCase(), null, null, null),
          profile,
          Instant.parse("2026-01-01T00:00:00Z"));
    }
    adminToken = new TokenStore(store.dataSource()).create(Role.ADMIN, null, "test admin").bearer();
    api =
        new MeteringApi(
            ApiConfig.create(b -> b.port(0)),
            registry,
            new DayReader(),
            new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
    api.start().get();
  }

  @AfterAll
  static void stop() {
    api.stop();
    store.close();
  }

  static HttpResponse<String> post(String path, String contentType, byte[] body) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + path))
            .header("Authorization", "Bearer " + adminToken)
            .header("content-type", contentType)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static HttpResponse<String> get(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + path))
            .header("Authorization", "Bearer " + adminToken)
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static byte[] bytes(String text, Charset cs, boolean bom) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    if (bom) {
      out.writeBytes(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF});
    }
    out.writeBytes(text.getBytes(cs));
    return out.toByteArray();
  }

  @Test
  void goodCsvWithBomAndChineseNamesIsImportedAndAttributed() throws Exception {
    String csv =
        HEADER
            // internal booking: 40 min of the 10:00-11:00 run, prep capped by room and cap
            + "b-1,BOOKING,2026-03-02T09:30:00Z,2026-03-02T10:40:00Z,张伟,inst-a,占用,科学研究,"
            + "NORMAL,国家自然科学基金,0,,,false,PT40M,PT5M\r\n"
            // external booking paid with a redeemed voucher: the rest of that run
            + "b-2,BOOKING,2026-03-02T10:40:00Z,2026-03-02T11:30:00Z,李娜,fudan-u,委托,科技开发,"
            + "NORMAL,\"创新券, 上海\",1200.50,V-1,yes,false,PT10M,PT20M\r\n"
            // manual entry by an external user: 20 min of the 13:00-13:30 run
            + "m-1,MANUAL,2026-03-02T12:50:00Z,2026-03-02T13:20:00Z,王芳,sjtu,USE,RESEARCH,,,,,,"
            + ",,\r\n"
            // booked, but the instrument did not run
            + "b-3,BOOKING,2026-03-02T14:00:00Z,2026-03-02T15:00:00Z,赵磊,inst-a,USE,TEACHING,,,,"
            + ",,,,\r\n";
    HttpResponse<String> r =
        post(
            "/api/v1/instruments/nmr-1/sessions?source=booking-export",
            "text/csv",
            bytes(csv, StandardCharsets.UTF_8, true));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    JsonNode ok = json.readTree(r.body());
    assertThat(ok.get("imported").asInt()).isEqualTo(4);
    assertThat(ok.get("storedTotal").asInt()).isEqualTo(4);
    assertThat(ok.get("encoding").asText()).isEqualTo("UTF-8");
    assertThat(ok.get("source").asText()).isEqualTo("booking-export");
    assertThat(ok.get("warnings")).isEmpty();

    JsonNode u =
        json.readTree(
            get("/api/v1/instruments/nmr-1/attribution?from=2026-03-02T00:00:00Z"
                    + "&to=2026-03-03T00:00:00Z")
                .body());
    assertThat(u.get("managingEntityId").asText()).isEqualTo("inst-a");
    assertThat(u.get("algorithmVersion").asText()).isEqualTo("lm-attribute/1");
    // ACTIVE 60 + 30 + 20 min = 110 min
    assertThat(u.at("/millis/totalActive").asLong()).isEqualTo(6_600_000L);
    // b-1 40 min (10:00-10:40), b-2 20 min (10:40-11:00), m-1 20 min (13:00-13:20)
    assertThat(u.at("/millis/attributedActive").asLong()).isEqualTo(4_800_000L);
    // 13:20-13:30 after m-1, and 15:00-15:20 right after b-3 ended
    assertThat(u.at("/millis/unbookedActive").asLong()).isEqualTo(1_800_000L);
    assertThat(u.at("/unbooked/0/start").asText()).isEqualTo(DAY + "13:20:00Z");
    assertThat(u.at("/unbooked/1/start").asText()).isEqualTo(DAY + "15:00:00Z");
    assertThat(u.at("/unbooked/1/millis").asLong()).isEqualTo(1_200_000L);

    JsonNode b1 = u.at("/sessions/0");
    assertThat(b1.get("id").asText()).isEqualTo("b-1");
    assertThat(b1.get("user").asText()).isEqualTo("张伟");
    // prep = min(40 declared, 30 cap, 30 room 09:30-10:00); post: no room after 10:40
    assertThat(b1.get("prepMillis").asLong()).isEqualTo(1_800_000L);
    assertThat(b1.get("postMillis").asLong()).isZero();
    assertThat(b1.get("effectiveMillis").asLong()).isEqualTo(4_200_000L); // 40 + 30 min
    assertThat(b1.get("externalMillis").asLong()).isZero();
    assertThat(b1.get("grade").asText()).isEqualTo("B");

    JsonNode b2 = u.at("/sessions/1");
    assertThat(b2.get("user").asText()).isEqualTo("李娜");
    // no room before its first ACTIVE ms; post = min(20 declared, 30 cap, 30 room 11:00-11:30)
    assertThat(b2.get("prepMillis").asLong()).isZero();
    assertThat(b2.get("postMillis").asLong()).isEqualTo(1_200_000L);
    assertThat(b2.get("effectiveMillis").asLong()).isEqualTo(2_400_000L); // 20 + 20 min
    assertThat(b2.get("externalMillis").asLong()).isEqualTo(2_400_000L);
    assertThat(b2.get("voucherMillis").asLong()).isEqualTo(2_400_000L);
    assertThat(b2.get("grade").asText()).isEqualTo("A");

    JsonNode m1 = u.at("/sessions/2");
    assertThat(m1.get("effectiveMillis").asLong()).isEqualTo(1_200_000L);
    assertThat(m1.get("externalMillis").asLong()).isEqualTo(1_200_000L);
    assertThat(m1.get("grade").asText()).isEqualTo("B");
    // 13:20-13:30 runs on past its end: 10 min, within the 15 min tolerance
    assertThat(m1.get("overrunMillis").asLong()).isEqualTo(600_000L);
    assertThat(u.get("overruns")).isEmpty();

    JsonNode b3 = u.at("/sessions/3");
    assertThat(b3.get("noShow").asBoolean()).isTrue();
    assertThat(b3.get("grade").asText()).isEqualTo("C");
    assertThat(u.at("/noShows/0/sessionId").asText()).isEqualTo("b-3");

    // effective 70 + 40 + 20 = 130 min, external 40 + 20 = 60 min, voucher 40 min
    assertThat(u.at("/millis/effective").asLong()).isEqualTo(7_800_000L);
    assertThat(u.at("/millis/external").asLong()).isEqualTo(3_600_000L);
    assertThat(u.at("/millis/voucher").asLong()).isEqualTo(2_400_000L);
    assertThat(u.at("/millis/verifiedEffective").asLong()).isEqualTo(7_800_000L);
    assertThat(u.at("/millis/declaredEffective").asLong()).isZero();
    assertThat(u.at("/hours/effective").asDouble()).isEqualTo(2.1667);
    assertThat(u.get("sharingRate").asDouble()).isEqualTo(60.0 / 130.0);
    assertThat(u.get("issues")).isEmpty();
  }

  @Test
  void gbkCsvIsDetectedOrReadAsDeclared() throws Exception {
    String csv =
        HEADER
            + "g-1,BOOKING,2026-03-02T09:00:00Z,2026-03-02T10:00:00Z,李娜,复旦大学,委托,科技开发,"
            + ",,,,,,,\r\n";
    byte[] gbk = bytes(csv, Charset.forName("GBK"), false);
    HttpResponse<String> detected = post("/api/v1/instruments/xrd-1/sessions", "text/csv", gbk);
    assertThat(detected.statusCode()).as(detected.body()).isEqualTo(201);
    assertThat(json.readTree(detected.body()).get("encoding").asText()).isEqualTo("GBK");

    byte[] declared = bytes(csv.replace("g-1", "g-2"), Charset.forName("GBK"), false);
    HttpResponse<String> named =
        post("/api/v1/instruments/xrd-1/sessions", "text/csv; charset=GBK", declared);
    assertThat(named.statusCode()).as(named.body()).isEqualTo(201);

    var stored = sessions.inWindow("xrd-1", at("00:00:00"), at("23:00:00"));
    assertThat(stored).hasSize(2);
    assertThat(stored.get(0).session().user()).isEqualTo("李娜");
    assertThat(stored.get(0).session().userEntityId()).isEqualTo("复旦大学");
    assertThat(stored.get(0).source()).isEqualTo("import:csv");

    // the same GBK bytes declared as UTF-8 are refused, not garbled
    HttpResponse<String> wrong =
        post(
            "/api/v1/instruments/xrd-1/sessions",
            "text/csv; charset=utf-8",
            bytes(csv.replace("g-1", "g-3"), Charset.forName("GBK"), false));
    assertThat(wrong.statusCode()).isEqualTo(400);
    assertThat(json.readTree(wrong.body()).at("/error/field").asText()).isEqualTo("charset");
    assertThat(sessions.count("xrd-1")).isEqualTo(2);
  }

  @Test
  void threeBadRowsAreAllListedAndNothingIsImported() throws Exception {
    String csv =
        HEADER
            + "x-1,BOOKING,2026-03-02T09:00:00Z,2026-03-02T10:00:00Z,a,inst-a,USE,RESEARCH,,,,,,,,\n"
            + "x-2,VISIT,2026-03-02T09:00:00Z,2026-03-02T10:00:00Z,b,inst-a,USE,RESEARCH,,,,,,,,\n"
            + "x-3,LOGIN,2026-03-02T11:00:00Z,2026-03-02T10:00:00Z,c,inst-a,USE,RESEARCH,,,,,,,,\n"
            + "x-4,LOGIN,2026-03-02T12:00:00Z,2026-03-02T13:00:00Z,d,inst-a,USE,RESEARCH,,,,,,,,\n"
            + "x-5,CARD,yesterday,2026-03-02T10:00:00Z,,inst-a,USE,RESEARCH,,,,,,,,\n";
    HttpResponse<String> r =
        post(
            "/api/v1/instruments/icp-1/sessions",
            "text/csv",
            bytes(csv, StandardCharsets.UTF_8, false));
    assertThat(r.statusCode()).isEqualTo(422);
    JsonNode e = json.readTree(r.body()).get("error");
    assertThat(e.get("code").asText()).isEqualTo("invalid_sessions");
    assertThat(e.get("rowsRead").asInt()).isEqualTo(5);
    assertThat(e.get("badRows").asInt()).isEqualTo(3);
    JsonNode rows = e.get("rows");
    // row 2: unknown kind; row 3: end before start; row 5: bad start and missing user
    assertThat(rows).hasSize(4);
    assertThat(rows.get(0).get("row").asInt()).isEqualTo(2);
    assertThat(rows.get(0).get("line").asInt()).isEqualTo(3);
    assertThat(rows.get(0).get("field").asText()).isEqualTo("kind");
    assertThat(rows.get(0).get("message").asText()).contains("BOOKING", "VISIT");
    assertThat(rows.get(1).get("row").asInt()).isEqualTo(3);
    assertThat(rows.get(1).get("field").asText()).isEqualTo("end");
    assertThat(rows.get(1).get("sessionId").asText()).isEqualTo("x-3");
    assertThat(rows.get(2).get("row").asInt()).isEqualTo(5);
    assertThat(rows.get(2).get("field").asText()).isEqualTo("start");
    assertThat(rows.get(3).get("row").asInt()).isEqualTo(5);
    assertThat(rows.get(3).get("field").asText()).isEqualTo("user");
    assertThat(sessions.count("icp-1")).isZero();
  }

  @Test
  void duplicateIdsInTheFileAndAgainstTheTableAreRefused() throws Exception {
    String row1 =
        "d-1,BOOKING,2026-03-02T09:00:00Z,2026-03-02T10:00:00Z,a,inst-a,USE,RESEARCH,,,,,,,,\n";
    String row2 =
        "d-2,BOOKING,2026-03-02T10:00:00Z,2026-03-02T11:00:00Z,b,inst-a,USE,RESEARCH,,,,,,,,\n";
    HttpResponse<String> inFile =
        post(
            "/api/v1/instruments/sem-1/sessions",
            "text/csv",
            bytes(HEADER + row1 + row2 + row1, StandardCharsets.UTF_8, false));
    assertThat(inFile.statusCode()).isEqualTo(422);
    JsonNode rows = json.readTree(inFile.body()).at("/error/rows");
    assertThat(rows).hasSize(1);
    assertThat(rows.get(0).get("row").asInt()).isEqualTo(3);
    assertThat(rows.get(0).get("field").asText()).isEqualTo("id");
    assertThat(rows.get(0).get("message").asText()).contains("already appears in row 1");
    assertThat(sessions.count("sem-1")).isZero();

    assertThat(
            post(
                    "/api/v1/instruments/sem-1/sessions",
                    "text/csv",
                    bytes(HEADER + row1, StandardCharsets.UTF_8, false))
                .statusCode())
        .isEqualTo(201);
    HttpResponse<String> again =
        post(
            "/api/v1/instruments/sem-1/sessions",
            "text/csv",
            bytes(HEADER + row2 + row1, StandardCharsets.UTF_8, false));
    assertThat(again.statusCode()).isEqualTo(422);
    JsonNode stored = json.readTree(again.body()).at("/error/rows");
    assertThat(stored).hasSize(1);
    assertThat(stored.get(0).get("row").asInt()).isEqualTo(2);
    assertThat(stored.get(0).get("message").asText()).contains("already stored");
    assertThat(sessions.count("sem-1")).isEqualTo(1);
  }

  @Test
  void jsonImportReportsSameKindOverlapsAndKeepsBoth() throws Exception {
    String body =
        "[{\"id\":\"j-1\",\"kind\":\"login\",\"start\":"
            + at("09:00:00")
            + ",\"end\":\"2026-03-02T10:30:00Z\",\"user\":\"王芳\",\"userEntityId\":\"sjtu\","
            + "\"serviceWay\":\"REMOTE\",\"direction\":\"RESEARCH\",\"fee\":35.5,\"invoiced\":true},"
            + "{\"id\":\"j-2\",\"kind\":\"LOGIN\",\"start\":\"2026-03-02T10:00:00Z\","
            + "\"end\":\"2026-03-02T11:00:00Z\",\"user\":\"li\",\"userEntityId\":\"inst-a\","
            + "\"serviceWay\":\"USE\",\"direction\":\"TEACHING\",\"voucherId\":null}]";
    HttpResponse<String> r =
        post(
            "/api/v1/instruments/ms-1/sessions",
            "application/json",
            body.getBytes(StandardCharsets.UTF_8));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    JsonNode ok = json.readTree(r.body());
    assertThat(ok.get("imported").asInt()).isEqualTo(2);
    assertThat(ok.get("warnings")).hasSize(1);
    assertThat(ok.at("/warnings/0/sessionId").asText()).isEqualTo("j-2");
    assertThat(ok.at("/warnings/0/otherSessionId").asText()).isEqualTo("j-1");
    var stored = sessions.inWindow("ms-1", at("00:00:00"), at("23:00:00"));
    assertThat(stored.get(0).session().fee()).isEqualByComparingTo("35.5");
    assertThat(stored.get(0).session().invoiced()).isTrue();

    // a later file that overlaps a stored LOGIN is warned about too
    String later =
        "[{\"id\":\"j-3\",\"kind\":\"LOGIN\",\"start\":\"2026-03-02T10:50:00Z\","
            + "\"end\":\"2026-03-02T12:00:00Z\",\"user\":\"li\",\"userEntityId\":\"inst-a\","
            + "\"serviceWay\":\"USE\",\"direction\":\"TEACHING\"}]";
    JsonNode second =
        json.readTree(
            post(
                    "/api/v1/instruments/ms-1/sessions",
                    "application/json",
                    later.getBytes(StandardCharsets.UTF_8))
                .body());
    assertThat(second.at("/warnings/0/otherSessionId").asText()).isEqualTo("j-2");

    JsonNode u =
        json.readTree(
            get("/api/v1/instruments/ms-1/attribution?from=2026-03-02T00:00:00Z"
                    + "&to=2026-03-03T00:00:00Z")
                .body());
    assertThat(u.get("issues"))
        .extracting(i -> i.get("code").asText())
        .containsExactly("OVERLAPS_SAME_KIND", "OVERLAPS_SAME_KIND");
  }

  @Test
  void unknownInstrumentWrongTypeAndOversizedBodiesAreRefused() throws Exception {
    byte[] small = bytes(HEADER, StandardCharsets.UTF_8, false);
    HttpResponse<String> unknown = post("/api/v1/instruments/nope/sessions", "text/csv", small);
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(json.readTree(unknown.body()).at("/error/field").asText()).isEqualTo("id");

    HttpResponse<String> form =
        post("/api/v1/instruments/tem-1/sessions", "application/x-www-form-urlencoded", small);
    assertThat(form.statusCode()).isEqualTo(415);

    HttpResponse<String> headerOnly = post("/api/v1/instruments/tem-1/sessions", "text/csv", small);
    assertThat(headerOnly.statusCode()).isEqualTo(400);

    byte[] big = new byte[(int) SessionRoutes.MAX_BODY_BYTES + 1];
    java.util.Arrays.fill(big, (byte) 'a');
    HttpResponse<String> tooBig = post("/api/v1/instruments/tem-1/sessions", "text/csv", big);
    assertThat(tooBig.statusCode()).isEqualTo(413);
    assertThat(json.readTree(tooBig.body()).at("/error/code").asText())
        .isEqualTo("payload_too_large");
    assertThat(sessions.count("tem-1")).isZero();
  }
}
