package org.labmeter.metering.http;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.labmeter.metering.attribution.AttributionEngine;
import org.labmeter.metering.attribution.AttributionPolicy;
import org.labmeter.metering.attribution.AttributionResult;
import org.labmeter.metering.attribution.UsageSession;
import org.labmeter.metering.registry.Instrument;
import org.labmeter.metering.registry.Registry;
import org.labmeter.metering.sessions.ImportFormat;
import org.labmeter.metering.sessions.ImportResult;
import org.labmeter.metering.sessions.SessionImporter;
import org.labmeter.metering.sessions.SessionRepository;
import org.labmeter.metering.sessions.StoredSession;
import org.labmeter.metering.store.SampleReader;
import org.labmeter.metering.usage.InstrumentUsage;
import org.labmeter.metering.usage.UsageService;
import org.labmeter.wire.Ids;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /api/v1/instruments/{id}/sessions} imports a CSV or JSON file of usage sessions, all
 * rows or none; {@code GET /api/v1/instruments/{id}/attribution?from=&to=} attributes the derived
 * usage of a window to the stored sessions. JDBC and derivation run on workers; the request body is
 * capped at {@link #MAX_BODY_BYTES} before any of it is read into a handler.
 */
final class SessionRoutes {
  private static final Logger log = LoggerFactory.getLogger(SessionRoutes.class);

  /** Largest accepted session file: 5 MiB, about 30,000 rows of a typical booking export. */
  static final long MAX_BODY_BYTES = 5L * 1024 * 1024;

  private final Vertx vertx;
  private final Registry registry;
  private final UsageService usage;
  private final SessionRepository sessions;
  private final SessionImporter importer;

  SessionRoutes(Vertx vertx, Registry registry, SampleReader reader, MeterRegistry metrics) {
    this.vertx = vertx;
    this.registry = registry;
    this.usage = new UsageService(registry, reader);
    this.sessions = new SessionRepository(registry.dataSource());
    this.importer = new SessionImporter(registry, sessions, Clock.systemUTC(), metrics);
  }

  void mount(Router router) {
    router
        .post("/api/v1/instruments/:id/sessions")
        .handler(BodyHandler.create(false).setBodyLimit(MAX_BODY_BYTES))
        .handler(this::importSessions)
        .failureHandler(this::bodyFailure);
    router
        .get("/api/v1/instruments/:id/attribution")
        .handler(ctx -> Replies.blocking(vertx, ctx, 200, () -> attribution(ctx)));
  }

  private void importSessions(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    if (!Ids.isValid(id)) {
      Replies.error(
          ctx,
          ApiError.badRequest("id", "instrument id must be 1..64 characters of [A-Za-z0-9._-]"));
      return;
    }
    String contentType = ctx.request().getHeader("content-type");
    Optional<ImportFormat> format = ImportFormat.ofMediaType(contentType);
    if (format.isEmpty()) {
      Replies.error(
          ctx,
          new ApiError(
              415,
              "unsupported_media_type",
              "send the sessions as text/csv (header row first) or application/json (an array of"
                  + " objects), got '"
                  + contentType
                  + "'",
              "content-type"));
      return;
    }
    String charset = ImportFormat.charsetOf(contentType);
    String source = ctx.queryParam("source").stream().findFirst().orElse(null);
    Buffer buffer = ctx.body().buffer();
    byte[] body = buffer == null ? new byte[0] : buffer.getBytes();
    Future<ImportResult> result =
        vertx.executeBlocking(
            () -> importer.importFile(id, format.get(), body, charset, source), false);
    result.onComplete(
        ar -> {
          if (ar.failed()) {
            log.warn("session import for instrument {} failed", id, ar.cause());
            Replies.error(
                ctx,
                new ApiError(
                    500, "internal_error", "the import failed: " + ar.cause().getMessage(), null));
            return;
          }
          ImportResult r = ar.result();
          if (r instanceof ImportResult.Imported ok) {
            Replies.json(ctx, 201, SessionViews.imported(ok));
          } else if (r instanceof ImportResult.Invalid bad) {
            Replies.json(ctx, 422, SessionViews.invalid(bad));
          } else if (r instanceof ImportResult.UnknownInstrument u) {
            Replies.error(
                ctx, ApiError.notFound("id", "no instrument with id '" + u.instrumentId() + "'"));
          } else if (r instanceof ImportResult.Unreadable u) {
            Replies.error(ctx, new ApiError(400, "invalid_body", u.message(), u.field()));
          } else if (r instanceof ImportResult.Conflict c) {
            Replies.error(ctx, new ApiError(409, "conflict", c.message(), "id"));
          }
        });
  }

  private void bodyFailure(RoutingContext ctx) {
    if (ctx.statusCode() == 413) {
      Replies.error(
          ctx,
          new ApiError(
              413,
              "payload_too_large",
              "a session file may be at most "
                  + MAX_BODY_BYTES
                  + " bytes (5 MiB); split it into several imports",
              "body"));
    } else {
      log.warn("session import {} failed", ctx.request().path(), ctx.failure());
      int status = ctx.statusCode() >= 400 ? ctx.statusCode() : 500;
      Replies.error(ctx, new ApiError(status, "internal_error", "the request failed", null));
    }
  }

  private Map<String, Object> attribution(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    if (!Ids.isValid(id)) {
      throw ApiError.badRequest("id", "instrument id must be 1..64 characters of [A-Za-z0-9._-]");
    }
    Instrument instrument =
        registry
            .instrument(id)
            .orElseThrow(() -> ApiError.notFound("id", "no instrument with id '" + id + "'"));
    Instant to = Params.instant(ctx, "to", Instant.now());
    Instant from = Params.instant(ctx, "from", to.minus(InstrumentRoutes.DEFAULT_WINDOW));
    if (!from.isBefore(to)) {
      throw ApiError.badRequest("from", "from (" + from + ") must be before to (" + to + ")");
    }
    if (Duration.between(from, to).compareTo(InstrumentRoutes.MAX_WINDOW) > 0) {
      throw ApiError.badRequest(
          "to",
          "an attribution window may span at most "
              + InstrumentRoutes.MAX_WINDOW.toDays()
              + " days");
    }
    InstrumentUsage derived = usage.usage(id, from, to).orElseThrow();
    List<UsageSession> inWindow =
        sessions.inWindow(id, from.toEpochMilli(), to.toEpochMilli()).stream()
            .map(StoredSession::session)
            .toList();
    AttributionResult result =
        AttributionEngine.attribute(
            derived.usage(), instrument.facilityId(), inWindow, AttributionPolicy.DEFAULT);
    return SessionViews.attribution(derived, AttributionPolicy.DEFAULT, result);
  }
}
