package org.labmeter.metering.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.labmeter.metering.auth.ApiToken;
import org.labmeter.metering.auth.AuditEntry;
import org.labmeter.metering.auth.AuditLog;
import org.labmeter.metering.auth.IssuedToken;
import org.labmeter.metering.auth.Role;
import org.labmeter.metering.auth.TokenStore;
import org.labmeter.wire.Ids;

/** Tokens ({@code /api/v1/tokens}) and the audit log ({@code /api/v1/audit}), for admins. */
final class AccessRoutes {
  private final Vertx vertx;
  private final TokenStore tokens;
  private final AuditLog audit;

  AccessRoutes(Vertx vertx, TokenStore tokens, AuditLog audit) {
    this.vertx = vertx;
    this.tokens = tokens;
    this.audit = audit;
  }

  void mount(Router router) {
    router
        .get("/api/v1/tokens")
        .handler(
            ctx ->
                Replies.blocking(
                    vertx,
                    ctx,
                    200,
                    () -> tokens.list().stream().map(AccessRoutes::tokenView).toList()));
    router
        .post("/api/v1/tokens")
        .handler(BodyHandler.create(false).setBodyLimit(16 * 1024))
        .handler(
            ctx ->
                Replies.blocking(
                    vertx, ctx, 201, () -> Bodies.refusalsAsErrors(() -> create(ctx))));
    router
        .post("/api/v1/tokens/:id/revoke")
        .handler(ctx -> Replies.blocking(vertx, ctx, 200, () -> revoke(ctx)));
    router.get("/api/v1/audit").handler(ctx -> Replies.blocking(vertx, ctx, 200, () -> audit(ctx)));
  }

  private Object create(RoutingContext ctx) {
    JsonNode b = Bodies.object(ctx);
    String roleText = Bodies.text(b, "role");
    Role role =
        Role.parse(roleText)
            .orElseThrow(
                () ->
                    ApiError.badRequest(
                        "role", "role must be admin, staff, evaluator or enrollment"));
    IssuedToken t =
        tokens.create(role, Bodies.optionalText(b, "facilityId"), Bodies.text(b, "label"));
    Map<String, Object> out = tokenView(t.token());
    out.put("token", t.bearer());
    return out;
  }

  private Object revoke(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    return tokenView(
        tokens
            .revoke(id)
            .orElseThrow(() -> ApiError.notFound("id", "no token with id '" + id + "'")));
  }

  private Object audit(RoutingContext ctx) {
    Instant from = Params.instant(ctx, "from", null);
    Instant to = Params.instant(ctx, "to", null);
    String action = first(ctx, "action");
    String token = first(ctx, "token");
    if (token != null && !Ids.isValid(token)) {
      throw ApiError.badRequest("token", "token must be a token id");
    }
    int offset = Params.integer(ctx, "offset", 0, 0, Integer.MAX_VALUE);
    int limit = Params.integer(ctx, "limit", 100, 1, AuditLog.MAX_LIMIT);
    List<AuditEntry> entries =
        audit.find(new AuditLog.Filter(from, to, action, token), offset, limit);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("offset", offset);
    out.put("limit", limit);
    out.put("entries", entries.stream().map(AccessRoutes::entryView).toList());
    return out;
  }

  private static String first(RoutingContext ctx, String name) {
    List<String> v = ctx.queryParam(name);
    return v.isEmpty() || v.get(0).isBlank() ? null : v.get(0);
  }

  static Map<String, Object> tokenView(ApiToken t) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("id", t.id());
    out.put("role", t.role().name());
    out.put("facilityId", t.facilityId());
    out.put("label", t.label());
    out.put("createdAt", t.createdAt().toString());
    out.put("revokedAt", t.revokedAt() == null ? null : t.revokedAt().toString());
    return out;
  }

  private static Map<String, Object> entryView(AuditEntry e) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("seq", e.seq());
    out.put("at", e.at().toString());
    out.put("tokenId", e.tokenId());
    out.put("role", e.role().name());
    out.put("action", e.action());
    out.put("target", e.target());
    out.put("outcome", e.outcome());
    out.put("status", e.status());
    return out;
  }
}
