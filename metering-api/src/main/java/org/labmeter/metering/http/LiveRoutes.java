package org.labmeter.metering.http;

import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Predicate;
import org.labmeter.metering.auth.Principal;
import org.labmeter.metering.auth.Role;
import org.labmeter.metering.live.FleetService;
import org.labmeter.metering.live.LiveClient;
import org.labmeter.metering.live.LiveHub;
import org.labmeter.metering.registry.Instrument;
import org.labmeter.metering.registry.Registry;
import org.labmeter.metering.store.FleetReader;
import org.labmeter.metering.store.QuestDbSampleReader;
import org.labmeter.metering.store.SampleReader;
import org.labmeter.metering.usage.UsageService;

/**
 * {@code GET /api/v1/fleet} (every visible instrument in one answer) and {@code GET /api/v1/live}
 * (Server-Sent Events from the process's one {@link LiveHub}). Both show only the instruments whose
 * managing unit the request's {@link Principal} may read, and everything when no principal is set.
 */
final class LiveRoutes {
  static final Duration POLL_PERIOD = Duration.ofSeconds(1);
  static final double COVERAGE_THRESHOLD = 0.9;

  private final Vertx vertx;
  private final LiveHub hub;
  private final FleetService fleet;

  LiveRoutes(Vertx vertx, Registry registry, SampleReader reader, MeterRegistry metrics) {
    this.vertx = vertx;
    FleetReader fleetReader =
        reader instanceof QuestDbSampleReader q
            ? q.fleetReader()
            : FleetReader.perInstrument(
                reader, () -> registry.instruments().stream().map(Instrument::id).toList());
    Clock clock = Clock.systemUTC();
    UsageService usage = new UsageService(registry, reader);
    this.hub =
        new LiveHub(
            registry::instruments,
            () -> LiveHub.profilesInForce(registry.dataSource(), clock.millis()),
            fleetReader,
            id -> usage.live(id, clock.instant()),
            clock,
            POLL_PERIOD,
            UsageService.STALE_AFTER,
            metrics);
    this.fleet =
        new FleetService(registry, fleetReader, hub, COVERAGE_THRESHOLD, UsageService.STALE_AFTER);
  }

  /** Mounts the routes and starts the hub; the hub stops when Vert.x closes. */
  void mount(Router router) {
    router
        .get("/api/v1/fleet")
        .handler(
            ctx -> {
              Predicate<String> canRead = canRead(ctx);
              Replies.blocking(vertx, ctx, 200, () -> fleet.fleet(canRead, Instant.now()));
            });
    router.get("/api/v1/live").handler(this::live);
    vertx.deployVerticle(
        new VerticleBase() {
          @Override
          public Future<?> start() {
            return Future.fromCompletionStage(hub.start());
          }

          @Override
          public Future<?> stop() {
            hub.stop();
            return Future.succeededFuture();
          }
        });
  }

  private void live(RoutingContext ctx) {
    String key =
        Principal.of(ctx)
            .map(
                p ->
                    p.role() == Role.FACILITY_STAFF
                        ? "facility:" + p.facilityId()
                        : p.role().name())
            .orElse("*");
    HttpServerResponse response = ctx.response();
    response
        .setChunked(true)
        .putHeader("content-type", "text/event-stream; charset=utf-8")
        .putHeader("cache-control", "no-cache")
        .putHeader("x-accel-buffering", "no");
    response.write("retry: 3000\n\n");
    LiveClient client = new LiveClient(response, vertx.getOrCreateContext(), key, canRead(ctx));
    response.closeHandler(v -> hub.remove(client));
    hub.add(client);
  }

  private static Predicate<String> canRead(RoutingContext ctx) {
    return Principal.of(ctx).<Predicate<String>>map(p -> p::canRead).orElse(f -> true);
  }
}
