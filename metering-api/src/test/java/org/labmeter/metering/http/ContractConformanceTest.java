package org.labmeter.metering.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.questdb.client.Sender;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.validation.ResponseValidator;
import io.vertx.openapi.validation.ValidatableResponse;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.labmeter.collector.store.EmbeddedQuestDb;
import org.labmeter.collector.store.StoreSchema;
import org.labmeter.metering.config.ApiConfig;
import org.labmeter.metering.derive.DerivationProfile;
import org.labmeter.metering.registry.Facility;
import org.labmeter.metering.registry.Instrument;
import org.labmeter.metering.registry.Registry;
import org.labmeter.metering.registry.RelationalStore;
import org.labmeter.metering.store.QuestDbSampleReader;

/**
 * Calls every operation of the contract against a running API (H2 registry, embedded QuestDB with
 * one hour of samples for nmr-1 from 2026-03-02T10:00Z: 1 kW for 30 minutes, then 100 W) and
 * validates each answer's status, media type and body against openapi.yaml with vertx-openapi,
 * error answers included (text answers, CSV and YAML, are checked for their documented media type
 * and charset; vertx-openapi cannot validate a text body). The calls run in order: sessions are
 * imported before attribution, the period is created before its reports and closed before its
 * correction.
 */
class ContractConformanceTest {
  static final long T0 = Instant.parse("2026-03-02T10:00:00Z").toEpochMilli();
  static final String WINDOW = "from=2026-03-02T09:00:00Z&to=2026-03-02T12:00:00Z";

  @TempDir static Path root;
  static EmbeddedQuestDb questDb;
  static QuestDbSampleReader reader;
  static RelationalStore store;
  static MeteringApi api;
  static ApiClient client;
  static Vertx vertx;
  static OpenAPIContract contract;
  static ResponseValidator validator;
  static JsonObject raw;

  @BeforeAll
  static void start() throws Exception {
    questDb = EmbeddedQuestDb.start(root, 0, 0);
    StoreSchema.ensureQuestDb(questDb.httpUrl());
    try (Sender sender = Sender.fromConfig("http::addr=127.0.0.1:" + questDb.httpPort() + ";")) {
      for (long t = T0; t < T0 + 3_600_000L; t += 10_000L) {
        sender
            .table("lm_samples")
            .symbol("instrument", "nmr-1")
            .symbol("agent", "agent-1")
            .doubleColumn("power_w", t < T0 + 1_800_000L ? 1000 : 100)
            .longColumn("run_flag", 0)
            .longColumn("quality", 0)
            .boolColumn("verified", true)
            .at(t, ChronoUnit.MILLIS);
      }
    }
    reader = new QuestDbSampleReader(questDb.pgJdbcUrl(), "admin", "quest");
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> reader.read("nmr-1", T0, T0 + 3_600_000L).size() == 360);

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
    PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    metrics.counter("labmeter_contract_test_calls").increment();
    api = new MeteringApi(ApiConfig.create(b -> b.port(0)), registry, reader, metrics);
    api.start().get();
    client = new ApiClient(api.port());
    vertx = Vertx.vertx();
    contract = ContractDocument.load(vertx);
    validator = ResponseValidator.create(vertx, contract);
    raw = ContractDocument.raw();
  }

  @AfterAll
  static void stop() {
    if (api != null) {
      api.stop();
    }
    if (vertx != null) {
      vertx.close().toCompletionStage().toCompletableFuture().join();
    }
    if (store != null) {
      store.close();
    }
    if (reader != null) {
      reader.close();
    }
    if (questDb != null) {
      questDb.close();
    }
  }

  /** One call: the operation it exercises, the request, and the status the server must answer. */
  record Call(
      String operationId, String method, String path, String type, String body, int status) {
    static Call get(String operationId, String path, int status) {
      return new Call(operationId, "GET", path, null, null, status);
    }

    static Call post(String operationId, String path, String type, String body, int status) {
      return new Call(operationId, "POST", path, type, body, status);
    }
  }

  static final String CSV =
      "id,kind,start,end,user,userEntityId,serviceWay,direction\n"
          + "S1,BOOKING,2026-03-02T09:50:00Z,2026-03-02T10:40:00Z,Li Wei,univ-b,USE,RESEARCH\n";
  static final String JSON_SESSIONS =
      "[{\"id\":\"S2\",\"kind\":\"LOGIN\",\"start\":\"2026-03-02T10:45:00Z\","
          + "\"end\":\"2026-03-02T11:00:00Z\",\"user\":\"Zhang San\",\"userEntityId\":\"inst-a\","
          + "\"serviceWay\":\"TECHNICAL\",\"direction\":\"TEACHING\"}]";
  static final String BAD_ROWS =
      "id,kind,start,end,user,userEntityId,serviceWay,direction\n"
          + "S9,BOOKING,yesterday,2026-03-02T10:40:00Z,X,univ-b,USE,RESEARCH\n";
  static final String PERIOD =
      "{\"id\":\"m2026-03\",\"name\":\"March 2026\",\"from\":\"2026-03-01\",\"to\":\"2026-03-31\"}";

  static List<Call> calls() {
    String i = "/api/v1/instruments/nmr-1";
    return List.of(
        Call.get("getHealth", "/health", 200),
        Call.get("getMetrics", "/metrics", 200),
        Call.get("getOpenApiYaml", "/api/v1/openapi.yaml", 200),
        Call.get("getOpenApiJson", "/api/v1/openapi.json", 200),
        Call.get("listInstruments", "/api/v1/instruments", 200),
        Call.get("getInstrument", i, 200),
        Call.get("getInstrument", "/api/v1/instruments/nope", 404),
        Call.get("getInstrument", "/api/v1/instruments/bad%21id", 400),
        Call.get("getUsage", i + "/usage?" + WINDOW, 200),
        Call.get("getUsage", i + "/usage?from=yesterday", 400),
        Call.get("getUsage", i + "/usage?from=2026-03-02T12:00:00Z&to=2026-03-02T09:00:00Z", 400),
        Call.get("getUsage", "/api/v1/instruments/nope/usage", 404),
        Call.get("getPower", i + "/power?minutes=60&points=12", 200),
        Call.get("getPower", i + "/power?points=1", 400),
        Call.get("getEvidence", i + "/evidence?" + WINDOW, 200),
        Call.get(
            "getEvidence", i + "/evidence?from=2026-03-02T12:00:00Z&to=2026-03-02T09:00:00Z", 400),
        Call.get("getEvidence", "/api/v1/instruments/nope/evidence", 404),
        Call.post("importSessions", i + "/sessions?source=test", "text/csv", CSV, 201),
        Call.post("importSessions", i + "/sessions", "application/json", JSON_SESSIONS, 201),
        Call.post("importSessions", i + "/sessions", "text/csv", CSV, 422), // S1 is stored
        Call.post("importSessions", i + "/sessions", "text/csv", BAD_ROWS, 422),
        Call.post("importSessions", i + "/sessions", "application/json", "{not json", 400),
        Call.post("importSessions", i + "/sessions", "text/plain", CSV, 415),
        Call.post("importSessions", "/api/v1/instruments/nope/sessions", "text/csv", CSV, 404),
        Call.get("getAttribution", i + "/attribution?" + WINDOW, 200),
        Call.get("getAttribution", i + "/attribution?to=tomorrow", 400),
        Call.get("getAttribution", "/api/v1/instruments/nope/attribution", 404),
        Call.post("createPeriod", "/api/v1/periods", "application/json", PERIOD, 201),
        Call.post("createPeriod", "/api/v1/periods", "application/json", PERIOD, 409),
        Call.post(
            "createPeriod",
            "/api/v1/periods",
            "application/json",
            PERIOD.replace("2026-03-31", "31.03.2026"),
            400),
        Call.get("listPeriods", "/api/v1/periods", 200),
        Call.get("getInstrumentReport", i + "/report?period=m2026-03", 200),
        Call.get("getInstrumentReport", i + "/report?period=m2026-03&format=csv&lang=zh", 200),
        Call.get("getInstrumentReport", i + "/report", 400),
        Call.get("getInstrumentReport", i + "/report?period=nope", 404),
        Call.get("getFacilityReport", "/api/v1/facilities/inst-a/report?period=m2026-03", 200),
        Call.get(
            "getFacilityReport",
            "/api/v1/facilities/inst-a/report?period=m2026-03&format=csv",
            200),
        Call.get(
            "getFacilityReport",
            "/api/v1/facilities/inst-a/report?period=m2026-03&format=xml",
            400),
        Call.get("getFacilityReport", "/api/v1/facilities/nope/report?period=m2026-03", 404),
        Call.get(
            "getServiceRecords", i + "/service-records?period=m2026-03&zone=Asia/Shanghai", 200),
        Call.get("getServiceRecords", i + "/service-records?period=m2026-03&zone=Mars/Base", 400),
        Call.post(
            "closePeriod",
            "/api/v1/periods/m2026-03/close",
            "application/json",
            "{\"author\":\"ops\"}",
            201),
        Call.post(
            "closePeriod",
            "/api/v1/periods/m2026-03/close",
            "application/json",
            "{\"author\":\"ops\"}",
            409),
        Call.post(
            "closePeriod",
            "/api/v1/periods/nope/close",
            "application/json",
            "{\"author\":\"ops\"}",
            404),
        Call.post(
            "correctPeriod",
            "/api/v1/periods/m2026-03/corrections",
            "application/json",
            "{\"reason\":\"late bookings\",\"author\":\"ops\"}",
            201),
        Call.post(
            "correctPeriod",
            "/api/v1/periods/m2026-03/corrections",
            "application/json",
            "{\"author\":\"ops\"}",
            400),
        Call.get("getInstrumentReport", i + "/report?period=m2026-03", 200));
  }

  @Test
  void everyOperationAnswersAsTheContractSays() throws Exception {
    List<String> problems = new ArrayList<>();
    Set<String> exercised = new TreeSet<>();
    for (Call call : calls()) {
      exercised.add(call.operationId());
      HttpResponse<byte[]> r =
          call.method().equals("GET")
              ? client.get(call.path())
              : client.post(call.path(), call.type(), call.body());
      String what = call.method() + " " + call.path() + " (" + call.operationId() + ")";
      if (r.statusCode() != call.status()) {
        problems.add(
            what + ": status " + r.statusCode() + ", expected " + call.status() + ": " + text(r));
        continue;
      }
      String problem = validate(call.operationId(), r);
      if (problem != null) {
        problems.add(what + " " + r.statusCode() + ": " + problem);
      }
      if (r.headers().firstValue(RequestLog.HEADER).isEmpty()) {
        problems.add(what + ": no " + RequestLog.HEADER + " header");
      }
    }
    assertThat(problems).isEmpty();
    Set<String> documented = new TreeSet<>();
    for (Operation op : contract.operations()) {
      documented.add(op.getOperationId());
    }
    assertThat(exercised).as("every documented operation is called").isEqualTo(documented);
  }

  /** Null when the answer conforms; else what is wrong with it. */
  static String validate(String operationId, HttpResponse<byte[]> r) throws Exception {
    String contentType = r.headers().firstValue("content-type").orElse("");
    String essence = contentType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
    Set<String> documented = ContractDocument.mediaTypes(raw, operationId, r.statusCode());
    if (!documented.contains(essence)) {
      return "Content-Type '" + contentType + "' is not among " + documented;
    }
    if (essence.startsWith("text/")
        && !contentType.toLowerCase(Locale.ROOT).contains("charset=utf-8")) {
      return "Content-Type '" + contentType + "' names no UTF-8 charset";
    }
    if (essence.startsWith("text/") || ContractDocument.LOADED_AS_TEXT.contains(essence)) {
      // vertx-openapi 5.0.7 hands a text body to the schema validator as a Buffer, which no
      // schema accepts; the text schemas here are plain strings, so non-empty text conforms.
      return r.body().length > 0 ? null : "empty text body";
    }
    Map<String, String> headers = new HashMap<>();
    r.headers().map().forEach((k, v) -> headers.put(k, v.get(0)));
    try {
      validator
          .validate(
              ValidatableResponse.create(r.statusCode(), headers, Buffer.buffer(r.body()), essence),
              operationId)
          .toCompletionStage()
          .toCompletableFuture()
          .get(10, TimeUnit.SECONDS);
      return null;
    } catch (java.util.concurrent.ExecutionException e) {
      return e.getCause().getMessage() + " in " + text(r);
    }
  }

  private static String text(HttpResponse<byte[]> r) {
    String s = new String(r.body(), java.nio.charset.StandardCharsets.UTF_8);
    return s.length() > 400 ? s.substring(0, 400) + "..." : s;
  }
}
