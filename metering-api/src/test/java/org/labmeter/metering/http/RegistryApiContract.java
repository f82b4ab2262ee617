package org.labmeter.metering.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.labmeter.collector.auth.AuthResult;
import org.labmeter.collector.auth.Authenticator;
import org.labmeter.collector.auth.CredentialHash;
import org.labmeter.collector.auth.JdbcAgentDirectory;
import org.labmeter.metering.testing.ApiClient.Answer;
import org.labmeter.metering.testing.TestStore;
import org.labmeter.wire.Ed25519Signer;

/**
 * The registry API: creating units, instruments, profile versions and organisations; bad input
 * naming the field, 409 on taken ids, 404 on unknown ones; and agent enrolment end to end, checked
 * with the collector's own directory and authenticator. Runs on H2 and on PostgreSQL.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class RegistryApiContract {
  static final String PROFILE =
      "{\"validFrom\":\"2026-01-01T00:00:00Z\",\"offBelowW\":5,\"onThresholdW\":300,"
          + "\"offThresholdW\":200,\"minOnMs\":60000,\"minOffMs\":60000,\"maxSampleGapMs\":30000}";

  ApiUnderTest t;

  abstract TestStore.Kind kind();

  @BeforeAll
  void start() throws Exception {
    t = new ApiUnderTest(kind());
  }

  @AfterAll
  void stop() {
    if (t != null) {
      t.close();
    }
  }

  Answer post(String path, String json) {
    return t.client.post(path, t.admin, json);
  }

  static void assertError(Answer a, int status, String field) {
    assertThat(a.status()).as(a.body()).isEqualTo(status);
    assertThat(a.json().at("/error/field").asText()).isEqualTo(field);
  }

  @Test
  void unitsInstrumentsAndProfileVersions() {
    assertThat(post("/api/v1/facilities", "{\"id\":\"fc\",\"name\":\"Charlie Lab\"}").status())
        .isEqualTo(201);
    assertError(post("/api/v1/facilities", "{\"id\":\"fc\",\"name\":\"again\"}"), 409, "id");
    assertError(post("/api/v1/facilities", "{\"id\":\"bad id!\",\"name\":\"x\"}"), 400, "id");
    assertError(post("/api/v1/facilities", "{\"id\":\"fd\"}"), 400, "name");
    assertError(post("/api/v1/facilities", "not json"), 400, "body");

    String sem =
        "{\"id\":\"sem-9\",\"facilityId\":\"fc\",\"name\":\"SEM\",\"assetNo\":\"A-9\","
            + "\"nationalPlatformId\":\"NP-310000-0099\",\"categoryCode\":\"0304\","
            + "\"originalValue\":1250000.50,\"location\":\"Building 3, room 101\",\"profile\":"
            + PROFILE
            + "}";
    Answer created = post("/api/v1/instruments", sem);
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    JsonNode d = created.json();
    assertThat(d.get("nationalPlatformId").asText()).isEqualTo("NP-310000-0099");
    assertThat(d.get("originalValue").decimalValue()).isEqualByComparingTo("1250000.50");
    assertThat(d.at("/profiles/0/version").asInt()).isEqualTo(1);
    assertError(post("/api/v1/instruments", sem), 409, "id");
    assertError(
        post(
            "/api/v1/instruments", sem.replace("\"fc\"", "\"nowhere\"").replace("sem-9", "sem-10")),
        404,
        "facilityId");
    assertError(
        post("/api/v1/instruments", sem.replace("1250000.50", "-1").replace("sem-9", "sem-11")),
        400,
        "originalValue");
    assertError(
        post("/api/v1/instruments", "{\"id\":\"sem-12\",\"facilityId\":\"fc\",\"name\":\"x\"}"),
        400,
        "profile");
    // T_off above T_on is impossible: the field is named and nothing is stored
    assertError(
        post(
            "/api/v1/instruments",
            sem.replace("sem-9", "sem-13")
                .replace("\"offThresholdW\":200", "\"offThresholdW\":400")),
        400,
        "offThresholdW");
    assertThat(t.client.get("/api/v1/instruments/sem-13/details", t.admin).status()).isEqualTo(404);

    String v2 = PROFILE.replace("2026-01-01", "2026-06-01").replace("300", "350");
    Answer added = post("/api/v1/instruments/sem-9/profiles", v2);
    assertThat(added.status()).as(added.body()).isEqualTo(201);
    assertThat(added.json().get("version").asInt()).isEqualTo(2);
    assertError(post("/api/v1/instruments/sem-9/profiles", v2), 400, "validFrom");
    assertError(post("/api/v1/instruments/nope/profiles", v2.replace("06-01", "07-01")), 404, "id");
    assertError(
        post(
            "/api/v1/instruments/sem-9/profiles",
            PROFILE
                .replace("\"maxSampleGapMs\":30000", "\"maxSampleGapMs\":0")
                .replace("2026-01-01", "2026-08-01")),
        400,
        "maxSampleGapMs");
    JsonNode versions = t.client.get("/api/v1/instruments/sem-9/profiles", t.admin).json();
    assertThat(versions).hasSize(2);
    assertThat(versions.at("/1/onThresholdW").asDouble()).isEqualTo(350.0);
  }

  @Test
  void organisations() {
    assertThat(
            post(
                    "/api/v1/organisations",
                    "{\"id\":\"91310000MA1K\",\"name\":\"Acme Biotech\",\"entityType\":\"EXTERNAL\"}")
                .status())
        .isEqualTo(201);
    assertError(
        post(
            "/api/v1/organisations",
            "{\"id\":\"91310000MA1K\",\"name\":\"x\",\"entityType\":\"EXTERNAL\"}"),
        409,
        "id");
    assertError(
        post("/api/v1/organisations", "{\"id\":\"o2\",\"name\":\"x\",\"entityType\":\"PARTNER\"}"),
        400,
        "entityType");
    assertThat(
            t.client.get("/api/v1/organisations", t.staffA).json().findValuesAsText("entityType"))
        .containsExactly("EXTERNAL");
  }

  @Test
  void pendingAgentIsRefusedByTheCollectorUntilAnAdminApprovesIt() {
    Ed25519Signer key = Ed25519Signer.generate(new SecureRandom());
    String publicKey = key.publicKey().toBase64();
    String body = "{\"id\":\"agent-7\",\"facilityId\":\"fa\",\"publicKey\":\"" + publicKey + "\"}";
    Answer pending = t.client.post("/api/v1/agents", t.enrollment, body);
    assertThat(pending.status()).as(pending.body()).isEqualTo(201);
    assertThat(pending.json().get("status").asText()).isEqualTo("PENDING");
    String fingerprint = pending.json().get("fingerprint").asText();
    assertThat(fingerprint).isEqualTo(key.publicKey().fingerprint());
    assertThat(pending.body()).doesNotContain("pbkdf2");
    assertError(t.client.post("/api/v1/agents", t.enrollment, body), 409, "id");
    assertError(
        t.client.post(
            "/api/v1/agents",
            t.enrollment,
            body.replace(publicKey, "AAAA").replace("agent-7", "agent-8")),
        400,
        "publicKey");
    // the enrolment token cannot approve, nor look at agents
    assertThat(t.client.post("/api/v1/agents/agent-7/approve", t.enrollment, "{}").status())
        .isEqualTo(403);
    assertThat(t.client.get("/api/v1/agents/agent-7", t.enrollment).status()).isEqualTo(403);

    JdbcAgentDirectory directory = new JdbcAgentDirectory(t.db.store().dataSource(), Duration.ZERO);
    Authenticator collector = new Authenticator(directory);
    assertThat(directory.find("agent-7").orElseThrow().enabled()).isFalse();
    assertThat(collector.authenticate("agent-7", "guess".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOfSatisfying(
            AuthResult.Refused.class,
            r -> assertThat(r.reason()).isEqualTo(AuthResult.Reason.DISABLED));

    String approve = "{\"fingerprint\":\"" + fingerprint + "\",\"instrumentIds\":[\"ia\"]}";
    assertError(
        post("/api/v1/agents/agent-7/approve", approve.replace(fingerprint, "SHA256:wrong")),
        400,
        "fingerprint");
    assertError(
        post("/api/v1/agents/agent-7/approve", approve.replace("\"ia\"", "\"ib\"")),
        400,
        "instrumentIds");
    assertError(post("/api/v1/agents/nobody/approve", approve), 404, "id");
    Answer approved = post("/api/v1/agents/agent-7/approve", approve);
    assertThat(approved.status()).as(approved.body()).isEqualTo(200);
    assertThat(approved.json().get("status").asText()).isEqualTo("APPROVED");
    String password = approved.json().get("mqttPassword").asText();
    assertError(post("/api/v1/agents/agent-7/approve", approve), 409, "id");
    assertThat(t.client.get("/api/v1/agents/agent-7", t.admin).body()).doesNotContain(password);

    var record = directory.find("agent-7").orElseThrow();
    assertThat(record.enabled()).isTrue();
    assertThat(record.instrumentIds()).containsExactly("ia");
    assertThat(record.publicKey()).isEqualTo(key.publicKey());
    assertThat(CredentialHash.matches(record.credentialHash(), password.toCharArray())).isTrue();
    assertThat(collector.authenticate("agent-7", password.getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(AuthResult.Granted.class);

    assertThat(post("/api/v1/agents/agent-7/revoke", null).json().get("status").asText())
        .isEqualTo("REVOKED");
    assertThat(collector.authenticate("agent-7", password.getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(AuthResult.Refused.class);
    assertError(post("/api/v1/agents/nobody/revoke", null), 404, "id");
  }
}
