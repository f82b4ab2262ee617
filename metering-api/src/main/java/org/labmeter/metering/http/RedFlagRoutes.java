package org.labmeter.metering.http;

import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import org.labmeter.metering.redflag.RedFlag;
import org.labmeter.metering.redflag.RedFlagPolicy;
import org.labmeter.metering.redflag.RedFlagService;
import org.labmeter.metering.registry.Instrument;
import org.labmeter.metering.registry.Registry;
import org.labmeter.metering.store.SampleReader;
import org.labmeter.metering.usage.UsageService;
import org.labmeter.wire.Ids;

/**
 * {@code GET /api/v1/instruments/:id/red-flags?from&to[&energyNorm]}: every red flag of the window
 * with its evidence. The window defaults to the last 30 days and may span at most {@link
 * RedFlagService#MAX_SAMPLE_WINDOW}; {@code energyNorm} is a declared kWh per ACTIVE hour.
 */
final class RedFlagRoutes {
  static final Duration DEFAULT_WINDOW = Duration.ofDays(30);

  private final Vertx vertx;
  private final Registry registry;
  private final RedFlagService flags;

  RedFlagRoutes(Vertx vertx, Registry registry, SampleReader reader) {
    this.vertx = vertx;
    this.registry = registry;
    this.flags =
        new RedFlagService(
            registry, new UsageService(registry, reader), reader, RedFlagPolicy.DEFAULTS);
  }

  void mount(Router router) {
    router
        .get("/api/v1/instruments/:id/red-flags")
        .handler(ctx -> Replies.blocking(vertx, ctx, 200, () -> redFlags(ctx)));
  }

  private Map<String, Object> redFlags(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    if (!Ids.isValid(id)) {
      throw ApiError.badRequest("id", "instrument id must be 1..64 characters of [A-Za-z0-9._-]");
    }
    Instrument instrument =
        registry
            .instrument(id)
            .orElseThrow(() -> ApiError.notFound("id", "no instrument with id '" + id + "'"));
    Instant to = Params.instant(ctx, "to", Instant.now());
    Instant from = Params.instant(ctx, "from", to.minus(DEFAULT_WINDOW));
    if (!from.isBefore(to)) {
      throw ApiError.badRequest("from", "from (" + from + ") must be before to (" + to + ")");
    }
    if (Duration.between(from, to).compareTo(RedFlagService.MAX_SAMPLE_WINDOW) > 0) {
      throw ApiError.badRequest(
          "to",
          "a red-flag window may span at most "
              + RedFlagService.MAX_SAMPLE_WINDOW.toDays()
              + " days");
    }
    OptionalDouble norm = OptionalDouble.empty();
    List<String> n = ctx.queryParam("energyNorm");
    if (!n.isEmpty() && !n.get(0).isBlank()) {
      try {
        double v = Double.parseDouble(n.get(0));
        if (!(v > 0) || !Double.isFinite(v)) {
          throw new NumberFormatException();
        }
        norm = OptionalDouble.of(v);
      } catch (NumberFormatException e) {
        throw ApiError.badRequest(
            "energyNorm",
            "energyNorm must be a positive kWh per ACTIVE hour, got '" + n.get(0) + "'");
      }
    }
    List<RedFlag> found = flags.flags(instrument.id(), from, to, norm);
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("instrument", instrument.id());
    out.put("from", from.toString());
    out.put("to", to.toString());
    out.put("flags", views(found));
    return out;
  }

  /** The JSON of flags, shared with the instrument report. */
  static List<Map<String, Object>> views(List<RedFlag> flags) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (RedFlag f : flags) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("rule", f.rule().name());
      m.put("from", Instant.ofEpochMilli(f.fromMillis()).toString());
      m.put("to", Instant.ofEpochMilli(f.toMillis()).toString());
      m.put("summary", f.summary());
      m.put("observed", f.observed());
      m.put("thresholds", f.thresholds());
      out.add(m);
    }
    return out;
  }
}
