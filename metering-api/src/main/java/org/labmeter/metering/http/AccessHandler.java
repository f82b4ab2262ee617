package org.labmeter.metering.http;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Instant;
import java.util.Optional;
import org.labmeter.metering.auth.AccessPolicy;
import org.labmeter.metering.auth.AuditEntry;
import org.labmeter.metering.auth.AuditLog;
import org.labmeter.metering.auth.Principal;
import org.labmeter.metering.auth.Role;
import org.labmeter.metering.auth.TokenStore;
import org.labmeter.metering.registry.Instrument;
import org.labmeter.metering.registry.Registry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Authentication and authorisation in front of every {@code /api/v1} route: reads {@code
 * Authorization: Bearer <token>}, puts the {@link Principal} on the context, and applies {@link
 * AccessPolicy}. A refusal is 401 (no, unknown or revoked token) or 403 (role or managing unit),
 * with the same error shape as every answer and nothing from the target in it; a route whose rule
 * is open passes without a token. Token and instrument look-ups run on workers. {@code /metrics}
 * answers loopback clients, others need an admin token.
 */
final class AccessHandler {
  private static final Logger log = LoggerFactory.getLogger(AccessHandler.class);

  private final Vertx vertx;
  private final TokenStore tokens;
  private final Registry registry;
  private final AuditLog audit;
  private final MeterRegistry metrics;

  AccessHandler(
      Vertx vertx, TokenStore tokens, Registry registry, AuditLog audit, MeterRegistry metrics) {
    this.vertx = vertx;
    this.tokens = tokens;
    this.registry = registry;
    this.audit = audit;
    this.metrics = metrics;
  }

  /** Mount before every other route. */
  void mount(Router router) {
    router.route("/api/v1/*").handler(this::api);
    router.route("/metrics").handler(this::metricsGate);
  }

  private void api(RoutingContext ctx) {
    String method = ctx.request().method().name();
    String path = ctx.normalizedPath();
    if (AccessPolicy.match(method, path).map(m -> m.rule().open()).orElse(false)) {
      ctx.next();
      return;
    }
    String bearer = bearer(ctx);
    if (bearer == null) {
      unauthenticated(ctx, "send Authorization: Bearer <token>");
      return;
    }
    // Hold the body back while the token is looked up, so that a body handler after this one
    // still sees all of it.
    if (!ctx.request().isEnded()) {
      ctx.request().pause();
    }
    vertx
        .executeBlocking(() -> decide(method, path, bearer), false)
        .onComplete(
            ar -> {
              if (!ctx.request().isEnded()) {
                ctx.request().resume();
              }
              if (ar.failed()) {
                Replies.failed(ctx, ar.cause());
                return;
              }
              Decision d = ar.result();
              if (d.principal() == null) {
                unauthenticated(ctx, "the token is not valid");
              } else if (d.refusal() != null) {
                refuse(ctx, d);
              } else {
                ctx.put(Principal.CONTEXT_KEY, d.principal());
                if (audited(d)) {
                  ctx.addBodyEndHandler(
                      v ->
                          record(
                              d.principal(),
                              d.match().rule().action(),
                              ctx,
                              ctx.response().getStatusCode()));
                }
                ctx.next();
              }
            });
  }

  private record Decision(Principal principal, AccessPolicy.Match match, String refusal) {}

  private Decision decide(String method, String path, String bearer) {
    Optional<Principal> p = tokens.authenticate(bearer);
    if (p.isEmpty()) {
      return new Decision(null, null, null);
    }
    Principal principal = p.get();
    Optional<AccessPolicy.Match> m = AccessPolicy.match(method, path);
    if (m.isEmpty()) {
      return new Decision(principal, null, "no access rule covers " + method + " " + path);
    }
    AccessPolicy.Rule rule = m.get().rule();
    String refused = "this token may not " + method + " " + path;
    if (!rule.allows(principal.role())) {
      return new Decision(principal, m.get(), refused);
    }
    if (principal.role() == Role.FACILITY_STAFF) {
      String id = m.get().id();
      boolean inUnit =
          switch (rule.scope()) {
            case NONE, LIST -> true;
            case FACILITY -> principal.canRead(id);
            case INSTRUMENT ->
                registry
                    .instrument(id)
                    .map(Instrument::facilityId)
                    .filter(principal::canRead)
                    .isPresent();
          };
      if (!inUnit) {
        return new Decision(principal, m.get(), refused);
      }
    }
    return new Decision(principal, m.get(), null);
  }

  private static boolean audited(Decision d) {
    return switch (d.match().rule().audit()) {
      case CHANGE -> true;
      case PULL -> d.principal().role() == Role.EVALUATOR;
      case NONE -> false;
    };
  }

  private void refuse(RoutingContext ctx, Decision d) {
    metrics.counter("labmeter_api_refused_total", "reason", "forbidden").increment();
    String action = d.match() == null ? "unmatched" : d.match().rule().action();
    record(d.principal(), action, ctx, 403);
    Replies.error(ctx, new ApiError(403, "forbidden", d.refusal(), null));
  }

  private void unauthenticated(RoutingContext ctx, String message) {
    metrics.counter("labmeter_api_refused_total", "reason", "unauthenticated").increment();
    ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"labmeter\"");
    Replies.error(ctx, new ApiError(401, "unauthenticated", message, "Authorization"));
  }

  private void record(Principal p, String action, RoutingContext ctx, int status) {
    String query = ctx.request().query();
    String target = ctx.normalizedPath() + (query == null ? "" : "?" + query);
    AuditEntry e =
        new AuditEntry(
            0,
            Instant.now(),
            p.tokenId(),
            p.role(),
            action,
            target,
            AuditEntry.outcomeOf(status),
            status);
    vertx
        .executeBlocking(
            () -> {
              audit.append(e);
              return null;
            },
            false)
        .onFailure(err -> log.error("audit entry {} {} could not be written", action, target, err));
  }

  private void metricsGate(RoutingContext ctx) {
    if (loopback(ctx.request().remoteAddress())) {
      ctx.next();
      return;
    }
    String bearer = bearer(ctx);
    if (bearer == null) {
      unauthenticated(ctx, "metrics need an admin token from outside this host");
      return;
    }
    vertx
        .executeBlocking(() -> tokens.authenticate(bearer), false)
        .onComplete(
            ar -> {
              if (ar.failed()) {
                Replies.failed(ctx, ar.cause());
              } else if (ar.result().isEmpty()) {
                unauthenticated(ctx, "the token is not valid");
              } else if (ar.result().get().role() != Role.ADMIN) {
                Replies.error(
                    ctx, new ApiError(403, "forbidden", "metrics need an admin token", null));
              } else {
                ctx.next();
              }
            });
  }

  private static boolean loopback(SocketAddress a) {
    if (a == null || a.hostAddress() == null) {
      return false;
    }
    try {
      return InetAddress.getByName(a.hostAddress()).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  private static String bearer(RoutingContext ctx) {
    String h = ctx.request().getHeader("Authorization");
    if (h == null || h.length() < 8 || !h.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return null;
    }
    String t = h.substring(7).trim();
    return t.isEmpty() ? null : t;
  }
}
