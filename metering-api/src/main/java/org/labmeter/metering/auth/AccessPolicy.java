package org.labmeter.metering.auth;

import static org.labmeter.metering.auth.Role.ADMIN;
import static org.labmeter.metering.auth.Role.AGENT_ENROLLMENT;
import static org.labmeter.metering.auth.Role.EVALUATOR;
import static org.labmeter.metering.auth.Role.FACILITY_STAFF;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Who may call which route: the one place that says so. A request under {@code /api/v1} that no
 * rule matches is refused (deny by default), and a test walks every route of the router to check
 * that each has a rule. A rule with no roles is open: it needs no token (the OpenAPI contract,
 * which says how to authenticate). docs/access-control.md prints this table.
 */
public final class AccessPolicy {
  /** Which managing unit a request touches, for the facility check of staff tokens. */
  public enum Scope {
    /** Not tied to one unit (periods, organisations) or admin-only. */
    NONE,
    /** The path's {@code :id} is an instrument; staff must manage its unit. */
    INSTRUMENT,
    /** The path's {@code :id} is a managing unit; staff must be scoped to it. */
    FACILITY,
    /** A list: the route itself leaves out what {@link Principal#canRead} refuses. */
    LIST
  }

  /** What the audit log records of a permitted request (refusals are always recorded). */
  public enum Audit {
    NONE,
    /** A read of evaluation data: recorded when an evaluator makes it. */
    PULL,
    /** A change: always recorded. */
    CHANGE
  }

  /**
   * One route's rule.
   *
   * @param method HTTP method in capitals
   * @param path the route's path as mounted, with {@code :id} for its one parameter
   * @param action the name the audit log records
   */
  public record Rule(
      String method, String path, Set<Role> roles, Scope scope, String action, Audit audit) {
    public Rule {
      roles = Set.copyOf(roles);
    }

    Pattern pattern() {
      return Pattern.compile(
          "^" + path.replace(".", "\\.").replaceAll(":[A-Za-z]+", "([^/]+)") + "$");
    }

    /** Whether the route answers without a token: a rule that names no role. */
    public boolean open() {
      return roles.isEmpty();
    }

    /** Whether a principal of this role may call the route at all (before the facility check). */
    public boolean allows(Role role) {
      return roles.contains(role);
    }
  }

  /** A rule matched against a request, with the path's {@code :id} value (or null). */
  public record Match(Rule rule, String id) {}

  private static final Set<Role> READERS = EnumSet.of(ADMIN, EVALUATOR, FACILITY_STAFF);
  private static final Set<Role> ADMINS = EnumSet.of(ADMIN);
  private static final List<Rule> RULES = new ArrayList<>();
  private static final List<Pattern> PATTERNS = new ArrayList<>();

  static {
    // The contract says how to authenticate, so it is read without a token.
    rule("GET", "/api/v1/openapi.yaml", Set.of(), Scope.NONE, "openapi.read", Audit.NONE);
    rule("GET", "/api/v1/openapi.json", Set.of(), Scope.NONE, "openapi.read", Audit.NONE);
    // Instruments and what is derived from them.
    rule("GET", "/api/v1/instruments", READERS, Scope.LIST, "instrument.list", Audit.NONE);
    rule("POST", "/api/v1/instruments", ADMINS, Scope.NONE, "instrument.create", Audit.CHANGE);
    rule(
        "GET", "/api/v1/instruments/:id", READERS, Scope.INSTRUMENT, "instrument.read", Audit.NONE);
    rule(
        "GET",
        "/api/v1/instruments/:id/details",
        READERS,
        Scope.INSTRUMENT,
        "instrument.read",
        Audit.NONE);
    rule(
        "GET",
        "/api/v1/instruments/:id/power",
        READERS,
        Scope.INSTRUMENT,
        "power.read",
        Audit.NONE);
    rule(
        "GET",
        "/api/v1/instruments/:id/usage",
        READERS,
        Scope.INSTRUMENT,
        "usage.read",
        Audit.PULL);
    rule(
        "GET",
        "/api/v1/instruments/:id/attribution",
        READERS,
        Scope.INSTRUMENT,
        "attribution.read",
        Audit.PULL);
    rule(
        "GET",
        "/api/v1/instruments/:id/evidence",
        READERS,
        Scope.INSTRUMENT,
        "evidence.export",
        Audit.PULL);
    rule(
        "GET",
        "/api/v1/instruments/:id/report",
        READERS,
        Scope.INSTRUMENT,
        "report.read",
        Audit.PULL);
    rule(
        "GET",
        "/api/v1/instruments/:id/service-records",
        READERS,
        Scope.INSTRUMENT,
        "service-records.export",
        Audit.PULL);
    rule(
        "GET",
        "/api/v1/instruments/:id/red-flags",
        READERS,
        Scope.INSTRUMENT,
        "red-flags.read",
        Audit.PULL);
    rule(
        "POST",
        "/api/v1/instruments/:id/sessions",
        EnumSet.of(ADMIN, FACILITY_STAFF),
        Scope.INSTRUMENT,
        "sessions.import",
        Audit.CHANGE);
    rule(
        "GET",
        "/api/v1/instruments/:id/profiles",
        READERS,
        Scope.INSTRUMENT,
        "profile.list",
        Audit.NONE);
    rule(
        "POST",
        "/api/v1/instruments/:id/profiles",
        ADMINS,
        Scope.INSTRUMENT,
        "profile.create",
        Audit.CHANGE);
    // Managing units.
    rule("GET", "/api/v1/facilities", READERS, Scope.LIST, "facility.list", Audit.NONE);
    rule("POST", "/api/v1/facilities", ADMINS, Scope.NONE, "facility.create", Audit.CHANGE);
    rule("GET", "/api/v1/facilities/:id", READERS, Scope.FACILITY, "facility.read", Audit.NONE);
    rule(
        "GET", "/api/v1/facilities/:id/report", READERS, Scope.FACILITY, "report.read", Audit.PULL);
    // Evaluation periods: shared by every unit, so only administrators open, close and correct
    // them.
    rule("GET", "/api/v1/periods", READERS, Scope.NONE, "period.list", Audit.NONE);
    rule("POST", "/api/v1/periods", ADMINS, Scope.NONE, "period.create", Audit.CHANGE);
    rule("POST", "/api/v1/periods/:id/close", ADMINS, Scope.NONE, "period.close", Audit.CHANGE);
    rule(
        "POST",
        "/api/v1/periods/:id/corrections",
        ADMINS,
        Scope.NONE,
        "period.correct",
        Audit.CHANGE);
    // Users' organisations decide what counts as external: administrators keep them.
    rule("GET", "/api/v1/organisations", READERS, Scope.NONE, "organisation.list", Audit.NONE);
    rule("POST", "/api/v1/organisations", ADMINS, Scope.NONE, "organisation.create", Audit.CHANGE);
    // Agents: enrolment tokens may only register a pending agent.
    rule("GET", "/api/v1/agents", ADMINS, Scope.NONE, "agent.list", Audit.NONE);
    rule(
        "POST",
        "/api/v1/agents",
        EnumSet.of(ADMIN, AGENT_ENROLLMENT),
        Scope.NONE,
        "agent.enroll",
        Audit.CHANGE);
    rule("GET", "/api/v1/agents/:id", ADMINS, Scope.NONE, "agent.read", Audit.NONE);
    rule("POST", "/api/v1/agents/:id/approve", ADMINS, Scope.NONE, "agent.approve", Audit.CHANGE);
    rule("POST", "/api/v1/agents/:id/revoke", ADMINS, Scope.NONE, "agent.revoke", Audit.CHANGE);
    // Tokens and the audit log.
    rule("GET", "/api/v1/tokens", ADMINS, Scope.NONE, "token.list", Audit.NONE);
    rule("POST", "/api/v1/tokens", ADMINS, Scope.NONE, "token.create", Audit.CHANGE);
    rule("POST", "/api/v1/tokens/:id/revoke", ADMINS, Scope.NONE, "token.revoke", Audit.CHANGE);
    rule("GET", "/api/v1/audit", ADMINS, Scope.NONE, "audit.read", Audit.NONE);
    // The dashboard's live feed and fleet summary filter their rows with Principal.canRead.
    rule("GET", "/api/v1/live", READERS, Scope.LIST, "live.read", Audit.NONE);
    rule("GET", "/api/v1/fleet", READERS, Scope.LIST, "fleet.read", Audit.NONE);
  }

  private AccessPolicy() {}

  private static void rule(
      String method, String path, Set<Role> roles, Scope scope, String action, Audit audit) {
    Rule r = new Rule(method, path, roles, scope, action, audit);
    RULES.add(r);
    PATTERNS.add(r.pattern());
  }

  /** Every rule, in the order above. */
  public static List<Rule> rules() {
    return List.copyOf(RULES);
  }

  /** The rule of a mounted route, by its method and path pattern as mounted. */
  public static Optional<Rule> ruleOf(String method, String routePath) {
    return RULES.stream()
        .filter(r -> r.method().equals(method) && r.path().equals(routePath))
        .findFirst();
  }

  /** The rule a request falls under, or empty (refused). */
  public static Optional<Match> match(String method, String requestPath) {
    for (int i = 0; i < RULES.size(); i++) {
      Rule r = RULES.get(i);
      if (!r.method().equals(method)) {
        continue;
      }
      Matcher m = PATTERNS.get(i).matcher(requestPath);
      if (m.matches()) {
        return Optional.of(new Match(r, m.groupCount() > 0 ? m.group(1) : null));
      }
    }
    return Optional.empty();
  }
}
