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
import java.security.SecureRandom;
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
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.labmeter.collector.store.EmbeddedQuestDb;
import org.labmeter.collector.store.StoreSchema;
import org.labmeter.metering.auth.IssuedToken;
import org.labmeter.metering.auth.Role;
import org.labmeter.metering.auth.TokenStore;
import org.labmeter.metering.config.ApiConfig;
import org.labmeter.metering.derive.DerivationProfile;
import org.labmeter.metering.registry.Facility;
import org.labmeter.metering.registry.Instrument;
import org.labmeter.metering.registry.Registry;
import org.labmeter.metering.registry.RelationalStore;
import org.labmeter.metering.store.QuestDbSampleReader;
import org.labmeter.metering.testing.TestStore;
import org.labmeter.wire.Ed25519Signer;

/**
 * Calls every operation of the contract against a running API (H2 registry, embedded QuestDB with
 * one hour of samples for nmr-1 from 2026-03-02T10:00Z: 1 kW for 30 minutes, then 100 W) and
 * validates each answer's status, media type and body against openapi.yaml with vertx-openapi,
 * error answers included (text answers, CSV and YAML, are checked for their documented media type
 * and charset; vertx-openapi cannot validate a text body). The calls run in order: sessions are
 * imported before attribution, the period is created before its reports and closed before its
 * correction.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ContractConformanceTest {
  static final long T0 = Instant.parse("2026-03-02T10:00:00Z").toEpochMilli();
  static final String WINDOW = "from=2026-03-02T09:00:00Z&to=2026-03-02T12:00:00Z";

  @TempDir static Path root;
  static EmbeddedQuestDb questDb;
  static QuestDbSampleReader reader;
  static TestStore testStore;
  static RelationalStore store;
  static final Ed25519Signer AGENT_KEY = Ed25519Signer.generate(new SecureRandom());
  static MeteringApi api;
  static Map<String, ApiClient> clients;
  static String staffTokenId;
  static Vertx vertx;
  static OpenAPIContract contract;
  static ResponseValidator validator;
  static JsonObject raw;

  /** The relational store this run uses; the PostgreSQL variant overrides it. */
  TestStore.Kind kind() {
    return TestStore.Kind.H2;
  }

  @BeforeAll
  void start() throws Exception {
    startOn(kind());
  }

  /** The API on embedded QuestDB and the given relational store, with the calls' fixtures. */
  static void startOn(TestStore.Kind kind) throws Exception {
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

    testStore = TestStore.open(kind);
    store = testStore.store();
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
    TokenStore tokens = new TokenStore(store.dataSource());
    IssuedToken staff = tokens.create(Role.FACILITY_STAFF, "inst-a", "staff a");
    staffTokenId = staff.token().id();
    clients =
        Map.of(
            ADMIN,
            new ApiClient(api.port(), tokens.create(Role.ADMIN, null, "admin").bearer()),
            EVALUATOR,
            new ApiClient(api.port(), tokens.create(Role.EVALUATOR, null, "evaluator").bearer()),
            NOBODY,
            new ApiClient(api.port(), null));
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
    if (testStore != null) {
      testStore.close();
    }
    if (reader != null) {
      reader.close();
    }
    if (questDb != null) {
      questDb.close();
    }
  }

  /** Who makes a call: an admin token (the default), an evaluator token, or no token. */
  static final String ADMIN = "admin";

  static final String EVALUATOR = "evaluator";
  static final String NOBODY = "nobody";

  /**
   * One call: the operation it exercises, the request, the status the server must answer, and whose
   * token it carries.
   */
  record Call(
      String operationId,
      String method,
      String path,
      String type,
      String body,
      int status,
      String as) {
    static Call get(String operationId, String path, int status) {
      return new Call(operationId, "GET", path, null, null, status, ADMIN);
    }

    static Call post(String operationId, String path, String type, String body, int status) {
      return new Call(operationId, "POST", path, type, body, status, ADMIN);
    }

    static Call json(String operationId, String path, String body, int status) {
      return post(operationId, path, "application/json", body, status);
    }

    Call as(String who) {
      return new Call(operationId, method, path, type, body, status, who);
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

  static final String INSTRUMENT =
      "{\"id\":\"xrd-1\",\"facilityId\":\"inst-b\",\"name\":\"XRD\","
          + "\"nameZh\":\"X射线衍射仪\",\"nationalPlatformId\":\"NP-0042\","
          + "\"categoryCode\":\"0303\",\"originalValue\":1250000.50,\"location\":\"B-101\","
          + "\"profile\":{\"offBelowW\":5,\"onThresholdW\":300,\"offThresholdW\":200,"
          + "\"minOnMs\":30000,\"maxSampleGapMs\":30000,\"validFrom\":\"2026-01-01T00:00:00Z\"}}";
  static final String PROFILE =
      "{\"offBelowW\":5,\"onThresholdW\":350,\"offThresholdW\":250,\"maxSampleGapMs\":30000,"
          + "\"validFrom\":\"2026-06-01T00:00:00Z\"}";

  static List<Call> calls() {
    List<Call> calls = new ArrayList<>(operations());
    calls.addAll(registryCalls());
    calls.addAll(accessCalls());
    return calls;
  }

  static List<Call> operations() {
    String i = "/api/v1/instruments/nmr-1";
    return List.of(
        Call.get("getHealth", "/health", 200).as(NOBODY),
        Call.get("getMetrics", "/metrics", 200).as(NOBODY),
        Call.get("getOpenApiYaml", "/api/v1/openapi.yaml", 200).as(NOBODY),
        Call.get("getOpenApiJson", "/api/v1/openapi.json", 200).as(NOBODY),
        Call.get("listInstruments", "/api/v1/instruments", 200),
        Call.get("listInstruments", "/api/v1/instruments", 200).as(EVALUATOR),
        Call.get("listInstruments", "/api/v1/instruments", 401).as(NOBODY),
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
        Call.get("getInstrumentReport", i + "/report?period=m2026-03", 200),
        Call.get("getRedFlags", i + "/red-flags?" + WINDOW, 200),
        Call.get("getRedFlags", i + "/red-flags?" + WINDOW + "&energyNorm=0.5", 200).as(EVALUATOR),
        Call.get("getRedFlags", i + "/red-flags?energyNorm=-1", 400),
        Call.get(
            "getRedFlags", i + "/red-flags?from=2026-01-01T00:00:00Z&to=2026-06-01T00:00:00Z", 400),
        Call.get("getRedFlags", "/api/v1/instruments/nope/red-flags", 404),
        Call.get("getRedFlags", i + "/red-flags", 401).as(NOBODY),
        Call.get("getFleet", "/api/v1/fleet", 200),
        Call.get("getFleet", "/api/v1/fleet", 200).as(EVALUATOR),
        Call.get("getFleet", "/api/v1/fleet", 401).as(NOBODY),
        Call.get("getLiveFeed", "/api/v1/live", 200),
        Call.get("getLiveFeed", "/api/v1/live", 401).as(NOBODY));
  }

  /** Units, instruments with their profiles, organisations and the agent enrolment flow. */
  static List<Call> registryCalls() {
    String key = AGENT_KEY.publicKey().toBase64();
    String agent = "{\"id\":\"agent-1\",\"facilityId\":\"inst-a\",\"publicKey\":\"" + key + "\"}";
    String approve =
        "{\"fingerprint\":\""
            + AGENT_KEY.publicKey().fingerprint()
            + "\",\"instrumentIds\":[\"nmr-1\"]}";
    String facility = "{\"id\":\"inst-b\",\"name\":\"Institute B\",\"nameZh\":\"乙研究所\"}";
    String org = "{\"id\":\"univ-b\",\"name\":\"University B\",\"entityType\":\"EXTERNAL\"}";
    return List.of(
        Call.get("listFacilities", "/api/v1/facilities", 200),
        Call.get("listFacilities", "/api/v1/facilities", 401).as(NOBODY),
        Call.json("createFacility", "/api/v1/facilities", facility, 201),
        Call.json("createFacility", "/api/v1/facilities", facility, 409),
        Call.json(
            "createFacility", "/api/v1/facilities", "{\"id\":\"bad id\",\"name\":\"x\"}", 400),
        Call.json("createFacility", "/api/v1/facilities", facility, 403).as(EVALUATOR),
        Call.get("getFacility", "/api/v1/facilities/inst-b", 200),
        Call.get("getFacility", "/api/v1/facilities/nope", 404),
        Call.get("getFacility", "/api/v1/facilities/bad%21id", 400),
        Call.json("createInstrument", "/api/v1/instruments", INSTRUMENT, 201),
        Call.json("createInstrument", "/api/v1/instruments", INSTRUMENT, 409),
        Call.json(
            "createInstrument",
            "/api/v1/instruments",
            INSTRUMENT.replace("xrd-1", "xrd-2").replace("inst-b", "nope"),
            404),
        Call.json(
            "createInstrument",
            "/api/v1/instruments",
            "{\"id\":\"xrd-3\",\"facilityId\":\"inst-b\",\"name\":\"X\"}",
            400),
        Call.json("createInstrument", "/api/v1/instruments", INSTRUMENT, 403).as(EVALUATOR),
        Call.get("getInstrumentDetails", "/api/v1/instruments/xrd-1/details", 200),
        Call.get("getInstrumentDetails", "/api/v1/instruments/nmr-1/details", 200).as(EVALUATOR),
        Call.get("getInstrumentDetails", "/api/v1/instruments/nope/details", 404),
        Call.get("getInstrumentDetails", "/api/v1/instruments/bad%21id/details", 400),
        Call.json("createProfileVersion", "/api/v1/instruments/xrd-1/profiles", PROFILE, 201),
        Call.json("createProfileVersion", "/api/v1/instruments/xrd-1/profiles", PROFILE, 400),
        Call.json(
            "createProfileVersion",
            "/api/v1/instruments/xrd-1/profiles",
            PROFILE.replace("250", "400").replace("06-01", "07-01"),
            400),
        Call.json("createProfileVersion", "/api/v1/instruments/nope/profiles", PROFILE, 404),
        Call.get("listProfiles", "/api/v1/instruments/xrd-1/profiles", 200),
        Call.get("listProfiles", "/api/v1/instruments/nope/profiles", 404),
        Call.get("listOrganisations", "/api/v1/organisations", 200),
        Call.json("createOrganisation", "/api/v1/organisations", org, 201),
        Call.json("createOrganisation", "/api/v1/organisations", org, 409),
        Call.json(
            "createOrganisation",
            "/api/v1/organisations",
            org.replace("univ-b", "univ-c").replace("EXTERNAL", "PARTNER"),
            400),
        Call.json("enrollAgent", "/api/v1/agents", agent, 201),
        Call.json("enrollAgent", "/api/v1/agents", agent, 409),
        Call.json(
            "enrollAgent",
            "/api/v1/agents",
            agent.replace("agent-1", "agent-2").replace(key, "AAAA"),
            400),
        Call.json(
            "enrollAgent",
            "/api/v1/agents",
            agent.replace("agent-1", "agent-2").replace("inst-a", "nope"),
            404),
        Call.get("listAgents", "/api/v1/agents", 200),
        Call.get("listAgents", "/api/v1/agents", 403).as(EVALUATOR),
        Call.get("getAgent", "/api/v1/agents/agent-1", 200),
        Call.get("getAgent", "/api/v1/agents/nope", 404),
        Call.json(
            "approveAgent",
            "/api/v1/agents/agent-1/approve",
            approve.replace(AGENT_KEY.publicKey().fingerprint(), "SHA256:wrong"),
            400),
        Call.json("approveAgent", "/api/v1/agents/nope/approve", approve, 404),
        Call.json("approveAgent", "/api/v1/agents/agent-1/approve", approve, 200),
        Call.json("approveAgent", "/api/v1/agents/agent-1/approve", approve, 409),
        Call.post("revokeAgent", "/api/v1/agents/agent-1/revoke", "application/json", "", 200),
        Call.post("revokeAgent", "/api/v1/agents/nope/revoke", "application/json", "", 404));
  }

  /** Tokens and the audit log. */
  static List<Call> accessCalls() {
    return List.of(
        Call.get("listTokens", "/api/v1/tokens", 200),
        Call.get("listTokens", "/api/v1/tokens", 403).as(EVALUATOR),
        Call.json(
            "createToken", "/api/v1/tokens", "{\"role\":\"evaluator\",\"label\":\"auditor\"}", 201),
        Call.json(
            "createToken",
            "/api/v1/tokens",
            "{\"role\":\"staff\",\"facilityId\":\"inst-a\",\"label\":\"desk\"}",
            201),
        Call.json("createToken", "/api/v1/tokens", "{\"role\":\"guest\",\"label\":\"x\"}", 400),
        Call.json("createToken", "/api/v1/tokens", "{\"role\":\"staff\",\"label\":\"x\"}", 400),
        Call.post(
            "revokeToken",
            "/api/v1/tokens/" + staffTokenId + "/revoke",
            "application/json",
            "",
            200),
        Call.post("revokeToken", "/api/v1/tokens/nope/revoke", "application/json", "", 404),
        Call.get("getAuditLog", "/api/v1/audit?limit=5", 200),
        Call.get("getAuditLog", "/api/v1/audit?action=token.create&offset=0", 200),
        Call.get("getAuditLog", "/api/v1/audit?limit=0", 400),
        Call.get("getAuditLog", "/api/v1/audit?from=yesterday", 400),
        Call.get("getAuditLog", "/api/v1/audit", 403).as(EVALUATOR),
        Call.get("getAuditLog", "/api/v1/audit", 401).as(NOBODY));
  }

  @Test
  void everyOperationAnswersAsTheContractSays() throws Exception {
    List<String> problems = new ArrayList<>();
    Set<String> exercised = new TreeSet<>();
    for (Call call : calls()) {
      exercised.add(call.operationId());
      ApiClient client = clients.get(call.as());
      HttpResponse<byte[]> r =
          call.method().equals("POST")
              ? client.post(call.path(), call.type(), call.body())
              : call.operationId().equals("getLiveFeed")
                  ? client.getFirstChunk(call.path())
                  : client.get(call.path());
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
