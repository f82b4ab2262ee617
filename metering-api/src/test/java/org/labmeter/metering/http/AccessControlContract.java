package org.labmeter.metering.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Route;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.labmeter.metering.auth.AccessPolicy;
import org.labmeter.metering.auth.AuditEntry;
import org.labmeter.metering.auth.AuditLog;
import org.labmeter.metering.auth.Role;
import org.labmeter.metering.testing.ApiClient.Answer;
import org.labmeter.metering.testing.TestStore;

/**
 * Every {@code /api/v1} route of the router, taken from the router itself so that a new route
 * cannot escape, called with no token, a wrong token, a revoked token, each non-admin role and the
 * staff of another managing unit; then what each role may do, and what the audit log recorded. Runs
 * on H2 and on PostgreSQL (see the subclasses).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class AccessControlContract {
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

  /** A mounted route with its one method and the request path that aims it at unit fb's records. */
  record Call(String method, String routePath, String path) {}

  List<Call> everyApiRoute() {
    List<Call> calls = new ArrayList<>();
    for (Route r : t.api.router().getRoutes()) {
      String p = r.getPath();
      if (p == null || !p.startsWith("/api/v1/") || r.methods() == null) {
        continue;
      }
      for (HttpMethod m : r.methods()) {
        String target =
            p.startsWith("/api/v1/instruments/:id")
                ? "ib"
                : p.startsWith("/api/v1/facilities/:id")
                    ? "fb"
                    : p.startsWith("/api/v1/tokens/:id") ? ApiUnderTest.idOf(t.staffB) : "x1";
        calls.add(new Call(m.name(), p, p.replace(":id", target)));
      }
    }
    return calls;
  }

  @Test
  void theRouterHasTheRoutesThisTestExpectsAndEachHasAnAccessRule() {
    List<Call> calls = everyApiRoute();
    assertThat(calls.stream().map(c -> c.method() + " " + c.routePath()))
        .contains(
            "GET /api/v1/instruments/:id/usage",
            "POST /api/v1/instruments/:id/sessions",
            "GET /api/v1/instruments/:id/evidence",
            "POST /api/v1/periods/:id/close",
            "POST /api/v1/agents",
            "GET /api/v1/audit",
            "GET /api/v1/instruments/:id/red-flags",
            "GET /api/v1/openapi.yaml",
            "GET /api/v1/openapi.json");
    for (Call c : calls) {
      assertThat(AccessPolicy.ruleOf(c.method(), c.routePath()))
          .as("access rule for %s %s", c.method(), c.routePath())
          .isPresent();
    }
  }

  @Test
  void withoutAValidTokenEveryRouteAnswers401AndNothingElse() {
    String wrong = "lm_0123456789ab_notthesecretatall";
    int open = 0;
    for (Call c : everyApiRoute()) {
      boolean isOpen = AccessPolicy.ruleOf(c.method(), c.routePath()).orElseThrow().open();
      open += isOpen ? 1 : 0;
      for (String token : new String[] {null, "", wrong, "Basic abc", t.revoked}) {
        Answer a = t.client.send(c.method(), c.path(), token, "{}");
        if (isOpen) {
          assertThat(a.status()).as("%s %s with %s", c.method(), c.path(), token).isEqualTo(200);
          continue;
        }
        assertThat(a.status()).as("%s %s with %s", c.method(), c.path(), token).isEqualTo(401);
        assertErrorOnly(a, "unauthenticated");
      }
    }
    // only the contract is open: it says how to authenticate
    assertThat(open).isEqualTo(2);
  }

  @Test
  void wrongRolesAndOtherUnitsStaffAre403WithNothingFromTheTarget() {
    int refused = 0;
    for (Call c : everyApiRoute()) {
      AccessPolicy.Rule rule = AccessPolicy.ruleOf(c.method(), c.routePath()).orElseThrow();
      if (rule.open()) {
        continue;
      }
      boolean touchesUnitB = c.routePath().matches("/api/v1/(instruments|facilities)/:id.*");
      Map<String, Boolean> denied =
          Map.of(
              // evaluators read only, and not the admin's lists (agents, tokens, audit)
              t.evaluator,
              !c.method().equals("GET") || !rule.allows(Role.EVALUATOR),
              // enrolment tokens register pending agents and nothing else
              t.enrollment,
              !(c.method().equals("POST") && c.routePath().equals("/api/v1/agents")),
              // staff of unit fa never reach unit fb's records, nor admin-only routes
              t.staffA,
              touchesUnitB || !rule.allows(Role.FACILITY_STAFF));
      for (var e : denied.entrySet()) {
        Answer a = t.client.send(c.method(), c.path(), e.getKey(), "{}");
        if (e.getValue()) {
          assertThat(a.status()).as("%s %s", c.method(), c.path()).isEqualTo(403);
          assertErrorOnly(a, "forbidden");
          refused++;
        } else {
          assertThat(a.status()).as("%s %s", c.method(), c.path()).isNotIn(401, 403);
        }
      }
    }
    assertThat(refused).isGreaterThan(30);
  }

  @Test
  void staffOfTheUnitReachItsRecordsAndListsHoldOnlyItsUnit() {
    Answer list = t.client.get("/api/v1/instruments", t.staffA);
    assertThat(list.status()).isEqualTo(200);
    assertThat(list.json().findValuesAsText("id")).containsExactly("ia");
    assertThat(t.client.get("/api/v1/facilities", t.staffA).json().findValuesAsText("id"))
        .containsExactly("fa");
    assertThat(t.client.get("/api/v1/instruments/ib", t.staffB).status()).isEqualTo(200);
    assertThat(t.client.get("/api/v1/facilities/fb", t.staffB).status()).isEqualTo(200);
    assertThat(t.client.get("/api/v1/instruments/ia/profiles", t.staffA).status()).isEqualTo(200);
    // an unknown instrument is no more visible to staff than another unit's
    assertThat(t.client.get("/api/v1/instruments/nope", t.staffA).status()).isEqualTo(403);
    assertThat(t.client.get("/api/v1/instruments/nope", t.admin).status()).isEqualTo(404);
    assertThat(t.client.get("/api/v1/instruments", t.evaluator).json().findValuesAsText("id"))
        .containsExactly("ia", "ib");
  }

  @Test
  void evaluatorPullsAndChangesAreAuditedAndAdminsCanFilterThem() {
    String usage = "/api/v1/instruments/ib/usage?from=2026-03-01T00:00:00Z&to=2026-03-02T00:00:00Z";
    assertThat(t.client.get(usage, t.evaluator).status()).isEqualTo(200);
    String flags =
        "/api/v1/instruments/ib/red-flags?from=2026-03-01T00:00:00Z&to=2026-03-02T00:00:00Z";
    assertThat(t.client.get(flags, t.evaluator).status()).isEqualTo(200);
    assertThat(t.client.post("/api/v1/periods", t.evaluator, "{}").status()).isEqualTo(403);
    Answer created =
        t.client.post(
            "/api/v1/tokens",
            t.admin,
            "{\"role\":\"staff\",\"facilityId\":\"fa\",\"label\":\"new\"}");
    assertThat(created.status()).isEqualTo(201);
    String newToken = created.json().get("token").asText();
    String newId = created.json().get("id").asText();
    assertThat(t.client.get("/api/v1/instruments/ia", newToken).status()).isEqualTo(200);
    assertThat(t.client.post("/api/v1/tokens/" + newId + "/revoke", t.admin, null).status())
        .isEqualTo(200);
    assertThat(t.client.get("/api/v1/instruments/ia", newToken).status()).isEqualTo(401);
    // the token list never shows a secret
    assertThat(t.client.get("/api/v1/tokens", t.admin).body())
        .doesNotContain(newToken.substring(17));

    AuditLog log = new AuditLog(t.db.store().dataSource());
    String evaluatorId = ApiUnderTest.idOf(t.evaluator);
    String adminId = ApiUnderTest.idOf(t.admin);
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              List<AuditEntry> mine =
                  log.find(new AuditLog.Filter(null, null, null, evaluatorId), 0, 100);
              assertThat(mine)
                  .anySatisfy(
                      e -> {
                        assertThat(e.action()).isEqualTo("usage.read");
                        assertThat(e.target()).isEqualTo(usage);
                        assertThat(e.outcome()).isEqualTo("ok");
                        assertThat(e.status()).isEqualTo(200);
                      })
                  .anySatisfy(
                      e -> {
                        assertThat(e.action()).isEqualTo("red-flags.read");
                        assertThat(e.target()).isEqualTo(flags);
                        assertThat(e.outcome()).isEqualTo("ok");
                      })
                  .anySatisfy(
                      e -> {
                        assertThat(e.action()).isEqualTo("period.create");
                        assertThat(e.outcome()).isEqualTo("denied");
                      });
              List<AuditEntry> admins =
                  log.find(new AuditLog.Filter(null, null, null, adminId), 0, 100);
              assertThat(admins)
                  .extracting(AuditEntry::action)
                  .contains("token.create", "token.revoke");
            });
    JsonNode page =
        t.client
            .get("/api/v1/audit?action=token.revoke&token=" + adminId + "&limit=1", t.admin)
            .json();
    assertThat(page.get("entries")).hasSize(1);
    assertThat(page.at("/entries/0/target").asText())
        .isEqualTo("/api/v1/tokens/" + newId + "/revoke");
    assertThat(
            t.client.get("/api/v1/audit?from=2999-01-01T00:00:00Z", t.admin).json().get("entries"))
        .isEmpty();
    assertThat(t.client.get("/api/v1/audit?limit=0", t.admin).json().at("/error/field").asText())
        .isEqualTo("limit");
  }

  @Test
  void healthMetricsAndTheDashboardFilesStayOpen() {
    assertThat(t.client.get("/health", null).status()).isEqualTo(200);
    assertThat(t.client.get("/metrics", null).status()).isEqualTo(200);
    assertThat(t.client.get("/", null).status()).isNotIn(401, 403);
  }

  /** The body is the error object and nothing else: no record of unit fb leaks into it. */
  static void assertErrorOnly(Answer a, String code) {
    JsonNode n = a.json();
    assertThat(n.fieldNames()).toIterable().containsExactly("error");
    assertThat(n.at("/error/code").asText()).isEqualTo(code);
    assertThat(a.body())
        .doesNotContain(ApiUnderTest.B_FACILITY_NAME)
        .doesNotContain(ApiUnderTest.B_INSTRUMENT_NAME)
        .doesNotContain("B-SECRET-ASSET");
  }
}
