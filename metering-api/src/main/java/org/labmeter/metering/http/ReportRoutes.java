package org.labmeter.metering.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.labmeter.metering.attribution.AttributionPolicy;
import org.labmeter.metering.ledger.EvaluationPeriod;
import org.labmeter.metering.ledger.LedgerService;
import org.labmeter.metering.ledger.PeriodException;
import org.labmeter.metering.ledger.PeriodService;
import org.labmeter.metering.ledger.Snapshot;
import org.labmeter.metering.redflag.RedFlagPolicy;
import org.labmeter.metering.redflag.RedFlagService;
import org.labmeter.metering.registry.Instrument;
import org.labmeter.metering.registry.Registry;
import org.labmeter.metering.report.InstrumentReport;
import org.labmeter.metering.report.ReportCsv;
import org.labmeter.metering.report.ReportLanguage;
import org.labmeter.metering.report.ReportService;
import org.labmeter.metering.report.ServiceRecordExport;
import org.labmeter.metering.sessions.SessionRepository;
import org.labmeter.metering.store.SampleReader;
import org.labmeter.metering.usage.UsageService;
import org.labmeter.wire.Ids;

/**
 * Evaluation periods and the reports served from the ledger or a period's snapshot (see
 * docs/ledger.md). JDBC runs on workers; CSV answers are UTF-8 with a byte-order mark.
 */
final class ReportRoutes {

  private final ObjectMapper json = new ObjectMapper();
  private final Vertx vertx;
  private final Registry registry;
  private final PeriodService periods;
  private final ReportService reports;
  private final ServiceRecordExport records;
  private final RedFlagService redFlags;

  ReportRoutes(Vertx vertx, Registry registry, SampleReader reader) {
    this.vertx = vertx;
    this.registry = registry;
    LedgerService ledger =
        new LedgerService(
            registry,
            new UsageService(registry, reader),
            AttributionPolicy.DEFAULT,
            Clock.systemUTC());
    this.periods = new PeriodService(registry, ledger, Clock.systemUTC());
    this.reports = new ReportService(registry);
    this.records =
        new ServiceRecordExport(ledger.repository(), new SessionRepository(registry.dataSource()));
    this.redFlags =
        new RedFlagService(
            registry, new UsageService(registry, reader), reader, RedFlagPolicy.DEFAULTS);
  }

  void mount(Router router) {
    BodyHandler body = BodyHandler.create(false).setBodyLimit(64 * 1024);
    router.get("/api/v1/periods").handler(ctx -> reply(ctx, 200, this::listPeriods));
    router
        .post("/api/v1/periods")
        .handler(body)
        .handler(ctx -> reply(ctx, 201, () -> createPeriod(ctx)));
    router
        .post("/api/v1/periods/:id/close")
        .handler(body)
        .handler(ctx -> reply(ctx, 201, () -> close(ctx)));
    router
        .post("/api/v1/periods/:id/corrections")
        .handler(body)
        .handler(ctx -> reply(ctx, 201, () -> correct(ctx)));
    router
        .get("/api/v1/facilities/:id/report")
        .handler(ctx -> reply(ctx, 200, () -> facilityReport(ctx)));
    router
        .get("/api/v1/instruments/:id/report")
        .handler(ctx -> reply(ctx, 200, () -> instrumentReport(ctx)));
    router
        .get("/api/v1/instruments/:id/service-records")
        .handler(ctx -> reply(ctx, 200, () -> serviceRecords(ctx)));
  }

  private Object listPeriods() {
    return periods.all().stream().map(ReportRoutes::periodView).toList();
  }

  private Object createPeriod(RoutingContext ctx) {
    JsonNode b = bodyOf(ctx);
    return periodView(
        periods.create(
            text(b, "id"),
            text(b, "name"),
            date(text(b, "from"), "from"),
            date(text(b, "to"), "to")));
  }

  private Object close(RoutingContext ctx) {
    return snapshotView(periods.close(ctx.pathParam("id"), text(bodyOf(ctx), "author")));
  }

  private Object correct(RoutingContext ctx) {
    JsonNode b = bodyOf(ctx);
    return snapshotView(periods.correct(ctx.pathParam("id"), text(b, "reason"), text(b, "author")));
  }

  private Object facilityReport(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    if (registry.facilities().stream().noneMatch(f -> f.id().equals(id))) {
      throw ApiError.notFound("id", "no facility with id '" + id + "'");
    }
    EvaluationPeriod p = period(ctx);
    List<InstrumentReport> rows = reports.facility(id, p);
    InstrumentReport total = reports.facilityTotal(id, p, rows);
    if (csv(ctx)) {
      List<InstrumentReport> all = new java.util.ArrayList<>(rows);
      all.add(total);
      return csv(ReportCsv.write(all, lang(ctx)), id + "-" + p.id() + ".csv");
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("facilityId", id);
    out.put("period", periodView(p));
    out.put("total", reportView(total));
    out.put("instruments", rows.stream().map(ReportRoutes::reportView).toList());
    return out;
  }

  private Object instrumentReport(RoutingContext ctx) {
    Instrument i = instrument(ctx);
    EvaluationPeriod p = period(ctx);
    InstrumentReport r = reports.instrument(i, p);
    if (csv(ctx)) {
      return csv(ReportCsv.write(List.of(r), lang(ctx)), i.id() + "-" + p.id() + ".csv");
    }
    Map<String, Object> view = reportView(r);
    // the rules the ledger can answer for the whole period; samples: GET .../red-flags
    view.put("redFlags", RedFlagRoutes.views(redFlags.ledgerFlags(i.id(), p.from(), p.to())));
    return view;
  }

  private Object serviceRecords(RoutingContext ctx) {
    Instrument i = instrument(ctx);
    EvaluationPeriod p = period(ctx);
    String format = param(ctx, "format", "csv");
    if (!format.equals("csv")) {
      throw ApiError.badRequest("format", "service records are exported as format=csv only");
    }
    ZoneId zone;
    try {
      zone = ZoneId.of(param(ctx, "zone", "UTC"));
    } catch (DateTimeException e) {
      throw ApiError.badRequest("zone", "zone must be a time-zone id such as Asia/Shanghai");
    }
    return csv(
        ServiceRecordExport.csv(records.records(i, p), lang(ctx), zone),
        i.id() + "-" + p.id() + "-service-records.csv");
  }

  /** A CSV answer instead of JSON. */
  private static Replies.Download csv(byte[] bytes, String fileName) {
    return new Replies.Download(bytes, "text/csv; charset=utf-8", fileName);
  }

  /** Like every route, with the period rules' refusals turned into error answers. */
  private void reply(RoutingContext ctx, int status, Callable<Object> work) {
    Replies.blocking(
        vertx,
        ctx,
        status,
        () -> {
          try {
            return work.call();
          } catch (PeriodException e) {
            throw switch (e.kind()) {
              case INVALID -> new ApiError(400, "invalid_parameter", e.getMessage(), e.field());
              case NOT_FOUND -> new ApiError(404, "not_found", e.getMessage(), e.field());
              case CONFLICT -> new ApiError(409, "conflict", e.getMessage(), e.field());
            };
          }
        });
  }

  private Instrument instrument(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    if (!Ids.isValid(id)) {
      throw ApiError.badRequest("id", "instrument id must be 1..64 characters of [A-Za-z0-9._-]");
    }
    return registry
        .instrument(id)
        .orElseThrow(() -> ApiError.notFound("id", "no instrument with id '" + id + "'"));
  }

  private EvaluationPeriod period(RoutingContext ctx) {
    String id = param(ctx, "period", null);
    if (id == null) {
      throw ApiError.badRequest("period", "period is required, e.g. ?period=y2025");
    }
    return reports
        .period(id)
        .orElseThrow(() -> ApiError.notFound("period", "no period with id '" + id + "'"));
  }

  private static boolean csv(RoutingContext ctx) {
    String f = param(ctx, "format", "json");
    if (!f.equals("json") && !f.equals("csv")) {
      throw ApiError.badRequest("format", "format must be json or csv, got '" + f + "'");
    }
    return f.equals("csv");
  }

  private static ReportLanguage lang(RoutingContext ctx) {
    String l = param(ctx, "lang", "en");
    return ReportLanguage.parse(l)
        .orElseThrow(() -> ApiError.badRequest("lang", "lang must be en or zh, got '" + l + "'"));
  }

  private static String param(RoutingContext ctx, String name, String fallback) {
    List<String> v = ctx.queryParam(name);
    return v.isEmpty() || v.get(0).isBlank() ? fallback : v.get(0);
  }

  private JsonNode bodyOf(RoutingContext ctx) {
    Buffer buf = ctx.body().buffer();
    try {
      JsonNode n = buf == null ? null : json.readTree(buf.getBytes());
      if (n == null || !n.isObject()) {
        throw new ApiError(400, "invalid_body", "send a JSON object", "body");
      }
      return n;
    } catch (java.io.IOException e) {
      throw new ApiError(400, "invalid_body", "the body is not JSON: " + e.getMessage(), "body");
    }
  }

  private static String text(JsonNode b, String field) {
    JsonNode v = b.get(field);
    if (v == null || !v.isTextual() || v.asText().isBlank()) {
      throw ApiError.badRequest(field, field + " is required (a string)");
    }
    return v.asText();
  }

  private static LocalDate date(String s, String field) {
    try {
      return LocalDate.parse(s);
    } catch (DateTimeException e) {
      throw ApiError.badRequest(
          field, field + " must be a date such as 2025-07-01, got '" + s + "'");
    }
  }

  static Map<String, Object> periodView(EvaluationPeriod p) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("id", p.id());
    out.put("name", p.name());
    out.put("from", p.from().toString());
    out.put("to", p.to().toString());
    out.put("status", p.status().name());
    return out;
  }

  static Map<String, Object> snapshotView(Snapshot s) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("periodId", s.periodId());
    out.put("version", s.version());
    out.put("reason", s.reason());
    out.put("author", s.author());
    out.put("createdAt", s.createdAt().toString());
    out.put("hash", s.hash());
    out.put("rows", s.rows().size());
    return out;
  }

  static Map<String, Object> reportView(InstrumentReport r) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("instrumentId", r.instrumentId());
    out.put("name", r.name());
    out.put("nameZh", r.nameZh());
    out.put("periodId", r.periodId());
    out.put("snapshotVersion", r.snapshotVersion());
    out.put("effectiveHours", r.effectiveHours());
    out.put("externalHours", r.externalHours());
    out.put("sharingRate", r.sharingRate());
    out.put("utilisation", r.utilisation());
    out.put("quotaHours", r.quotaHours());
    out.put("coverage", r.coverage());
    out.put("ledgerDays", r.ledgerDays());
    out.put("periodDays", r.periodDays());
    out.put("totals", r.totals());
    return out;
  }
}
