package org.labmeter.metering.http;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.StaticHandler;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.labmeter.metering.auth.AuditLog;
import org.labmeter.metering.auth.TokenStore;
import org.labmeter.metering.config.ApiConfig;
import org.labmeter.metering.registry.AgentRegistry;
import org.labmeter.metering.registry.Registry;
import org.labmeter.metering.store.CachingSampleReader;
import org.labmeter.metering.store.QuestDbSampleReader;
import org.labmeter.metering.store.SampleReader;
import org.labmeter.metering.usage.UsageService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The metering API's HTTP server: bootstrap only. Routes live in the {@code *Routes} classes;
 * {@link AccessHandler} stands in front of every {@code /api/v1} route (tokens, the access policy,
 * the audit log); {@code /health} and the dashboard's static files stay open. Every JDBC or store
 * call runs on Vert.x worker threads, never on the event loop.
 */
public final class MeteringApi {
  private static final Logger log = LoggerFactory.getLogger(MeteringApi.class);

  private final ApiConfig config;
  private final Registry registry;
  private final SampleReader reader;
  private final PrometheusMeterRegistry metrics;
  private final AtomicBoolean stopped = new AtomicBoolean();
  private final Map<String, BooleanSupplier> healthChecks = new LinkedHashMap<>();
  private Vertx vertx;
  private HttpServer server;
  private Router router;

  public MeteringApi(
      ApiConfig config, Registry registry, SampleReader reader, PrometheusMeterRegistry metrics) {
    this.config = config;
    this.registry = registry;
    this.reader = reader;
    this.metrics = metrics;
  }

  /**
   * Adds a check to {@code /health}, e.g. the collector's spool when both run in one process. Call
   * before {@link #start()}; a check runs on a worker thread and must be cheap.
   */
  public MeteringApi healthCheck(String name, BooleanSupplier check) {
    healthChecks.put(name, check);
    return this;
  }

  public CompletableFuture<Void> start() {
    vertx = Vertx.vertx();
    router = Router.router(vertx);
    router.route().handler(new RequestLog());
    TokenStore tokens = new TokenStore(registry.dataSource());
    AuditLog audit = new AuditLog(registry.dataSource());
    new AccessHandler(vertx, tokens, registry, audit, metrics).mount(router);
    new OpenApiRoutes().mount(router);
    new InstrumentRoutes(
            vertx,
            registry,
            reader,
            new UsageService(registry, usageReader()),
            metrics,
            healthChecks)
        .mount(router);
    new EvidenceRoutes(vertx, registry, reader).mount(router);
    new SessionRoutes(vertx, registry, reader, metrics).mount(router);
    new ReportRoutes(vertx, registry, reader).mount(router);
    new LiveRoutes(vertx, registry, reader, metrics).mount(router);
    new RegistryRoutes(vertx, registry, new AgentRegistry(registry)).mount(router);
    new AccessRoutes(vertx, tokens, audit).mount(router);
    new RedFlagRoutes(vertx, registry, reader).mount(router);
    router.route("/*").handler(StaticHandler.create("webroot"));
    return vertx
        .createHttpServer(ServerOptions.of(config))
        .requestHandler(router)
        .listen()
        .map(
            s -> {
              server = s;
              log.info(
                  "metering API listening on {}://{}:{}/",
                  config.tls() == null ? "http" : "https",
                  config.host(),
                  s.actualPort());
              return (Void) null;
            })
        .toCompletionStage()
        .toCompletableFuture();
  }

  /**
   * The samples behind single-instrument usage: over QuestDB, closed past intervals come from a
   * {@link CachingSampleReader} (late batches drop what they touch); any other reader as it is.
   */
  private SampleReader usageReader() {
    return reader instanceof QuestDbSampleReader q
        ? new CachingSampleReader(
            q,
            q.batchReader()::receivedAfter,
            Clock.systemUTC(),
            CachingSampleReader.DEFAULT_BUDGET_BYTES)
        : reader;
  }

  /** The router, for tests that walk every mounted route; valid after {@link #start()}. */
  Router router() {
    return router;
  }

  /** The bound port; valid after {@link #start()} completed. */
  public int port() {
    return server.actualPort();
  }

  public void stop() {
    if (!stopped.compareAndSet(false, true) || vertx == null) {
      return;
    }
    vertx.close().toCompletionStage().toCompletableFuture().join();
  }
}
