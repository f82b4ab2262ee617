package org.labmeter.metering.http;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.labmeter.metering.auth.Principal;
import org.labmeter.metering.derive.ObservationSeries;
import org.labmeter.metering.registry.Instrument;
import org.labmeter.metering.registry.Registry;
import org.labmeter.metering.store.SampleReader;
import org.labmeter.metering.usage.UsageService;
import org.labmeter.wire.Ids;

/** The read endpoints of /api/v1 for instruments and their usage, plus /health and /metrics. */
final class InstrumentRoutes {
  static final Duration DEFAULT_WINDOW = Duration.ofHours(24);
  static final Duration MAX_WINDOW = Duration.ofDays(800);

  private final Vertx vertx;
  private final Registry registry;
  private final SampleReader reader;
  private final UsageService usage;
  private final PrometheusMeterRegistry metrics;
  private final Map<String, BooleanSupplier> extraChecks;

  InstrumentRoutes(
      Vertx vertx,
      Registry registry,
      SampleReader reader,
      UsageService usage,
      PrometheusMeterRegistry metrics,
      Map<String, BooleanSupplier> extraChecks) {
    this.vertx = vertx;
    this.registry = registry;
    this.reader = reader;
    this.usage = usage;
    this.metrics = metrics;
    this.extraChecks = Map.copyOf(extraChecks);
  }

  void mount(Router router) {
    router.get("/health").handler(ctx -> Replies.blocking(vertx, ctx, 200, this::health));
    router
        .get("/metrics")
        .handler(
            ctx ->
                ctx.response()
                    .putHeader("content-type", "text/plain; version=0.0.4; charset=utf-8")
                    .end(metrics.scrape()));
    router
        .get("/api/v1/instruments")
        .handler(ctx -> Replies.blocking(vertx, ctx, 200, () -> listInstruments(ctx)));
    router
        .get("/api/v1/instruments/:id")
        .handler(
            ctx ->
                Replies.blocking(
                    vertx, ctx, 200, () -> instrumentView(requireInstrument(ctx), Instant.now())));
    router
        .get("/api/v1/instruments/:id/usage")
        .handler(ctx -> Replies.blocking(vertx, ctx, 200, () -> usage(ctx)));
    router
        .get("/api/v1/instruments/:id/power")
        .handler(ctx -> Replies.blocking(vertx, ctx, 200, () -> power(ctx)));
  }

  private Map<String, Object> health() {
    Map<String, String> checks = new LinkedHashMap<>();
    boolean db;
    try {
      registry.facilities();
      db = true;
    } catch (RuntimeException e) {
      db = false;
    }
    checks.put("relationalStore", db ? "UP" : "DOWN");
    checks.put("timeSeriesStore", reader.ping() ? "UP" : "DOWN");
    extraChecks.forEach((name, check) -> checks.put(name, check.getAsBoolean() ? "UP" : "DOWN"));
    boolean up = checks.values().stream().allMatch("UP"::equals);
    if (!up) {
      throw new ApiError(503, "unhealthy", "a dependency is down: " + checks, null);
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("status", "UP");
    out.put("checks", checks);
    return out;
  }

  private List<Map<String, Object>> listInstruments(RoutingContext ctx) {
    Instant now = Instant.now();
    Principal principal = Principal.of(ctx).orElseThrow();
    List<Map<String, Object>> out = new ArrayList<>();
    for (Instrument i : registry.instruments()) {
      if (!principal.canRead(i.facilityId())) {
        continue;
      }
      out.add(instrumentView(i, now));
    }
    return out;
  }

  private Map<String, Object> instrumentView(Instrument i, Instant now) {
    Map<String, Object> view = JsonViews.instrument(i);
    usage.live(i.id(), now).ifPresent(s -> view.put("live", JsonViews.live(s, now)));
    return view;
  }

  private Instrument requireInstrument(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    if (!Ids.isValid(id)) {
      throw ApiError.badRequest("id", "instrument id must be 1..64 characters of [A-Za-z0-9._-]");
    }
    return registry
        .instrument(id)
        .orElseThrow(() -> ApiError.notFound("id", "no instrument with id '" + id + "'"));
  }

  private Map<String, Object> usage(RoutingContext ctx) {
    Instrument instrument = requireInstrument(ctx);
    Instant to = Params.instant(ctx, "to", Instant.now());
    Instant from = Params.instant(ctx, "from", to.minus(DEFAULT_WINDOW));
    if (!from.isBefore(to)) {
      throw ApiError.badRequest("from", "from (" + from + ") must be before to (" + to + ")");
    }
    if (Duration.between(from, to).compareTo(MAX_WINDOW) > 0) {
      throw ApiError.badRequest(
          "to", "a usage window may span at most " + MAX_WINDOW.toDays() + " days");
    }
    return JsonViews.usage(usage.usage(instrument.id(), from, to).orElseThrow());
  }

  /**
   * Recent power for a sparkline: the last {@code minutes} (1..1440, default 15) cut into {@code
   * points} buckets (2..500, default 60), each the mean of its samples, or null where it has none
   * (no telemetry is shown as a hole, never as zero).
   */
  private Map<String, Object> power(RoutingContext ctx) {
    Instrument instrument = requireInstrument(ctx);
    int minutes = Params.integer(ctx, "minutes", 15, 1, 1440);
    int points = Params.integer(ctx, "points", 60, 2, 500);
    long to = Instant.now().toEpochMilli();
    long from = to - minutes * 60_000L;
    ObservationSeries series = reader.read(instrument.id(), from, to);
    double[] sum = new double[points];
    int[] count = new int[points];
    double bucket = (to - from) / (double) points;
    for (int i = 0; i < series.size(); i++) {
      double w = series.powerW(i);
      if (Double.isNaN(w)) {
        continue;
      }
      int b = (int) Math.min(points - 1, (series.timestampMillis(i) - from) / bucket);
      sum[b] += w;
      count[b]++;
    }
    List<Double> watts = new ArrayList<>(points);
    for (int b = 0; b < points; b++) {
      watts.add(count[b] == 0 ? null : sum[b] / count[b]);
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("instrument", instrument.id());
    out.put("from", Instant.ofEpochMilli(from).toString());
    out.put("to", Instant.ofEpochMilli(to).toString());
    out.put("bucketMillis", (long) bucket);
    out.put("watts", watts);
    return out;
  }

  /** Runs {@code work} on a worker thread and answers with its JSON, or with an error body. */
}
