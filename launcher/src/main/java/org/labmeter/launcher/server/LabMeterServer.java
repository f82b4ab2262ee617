package org.labmeter.launcher.server;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.labmeter.collector.Collector;
import org.labmeter.collector.auth.JdbcAgentDirectory;
import org.labmeter.collector.config.CollectorConfig;
import org.labmeter.collector.config.CollectorConfigBuilder;
import org.labmeter.collector.store.EmbeddedQuestDb;
import org.labmeter.collector.store.InProcessBatchStore;
import org.labmeter.collector.verify.JdbcChainHeads;
import org.labmeter.metering.attribution.AttributionPolicy;
import org.labmeter.metering.config.ApiConfig;
import org.labmeter.metering.http.MeteringApi;
import org.labmeter.metering.ledger.LateDataScan;
import org.labmeter.metering.ledger.LedgerRefreshJob;
import org.labmeter.metering.ledger.LedgerService;
import org.labmeter.metering.registry.Registry;
import org.labmeter.metering.registry.RelationalStore;
import org.labmeter.metering.store.QuestDbSampleReader;
import org.labmeter.metering.usage.UsageService;

/**
 * One LabMeter node: the relational store (migrated at start), the time-series store (embedded or
 * external QuestDB), the collector's MQTT listener and the metering API, sharing one Prometheus
 * registry. The demo adds simulated agents to it; {@code labmeter serve} runs it on its own.
 */
public final class LabMeterServer implements AutoCloseable {

  /**
   * @param registryUrl JDBC URL of the relational store (H2 file or PostgreSQL)
   * @param bindHost interface for MQTT and HTTP
   * @param spoolDir where the collector spools batches while the store is down (PUBACK after the
   *     fsync there); null to withhold PUBACK instead until the store is back
   * @param collector further collector settings (limits, verification); host, port and store URL
   *     are set from the other options
   * @param api further API settings (TLS); host and port are set from the other options
   */
  public record Options(
      String registryUrl,
      String registryUser,
      String registryPassword,
      StoreLocation store,
      String bindHost,
      int apiPort,
      int mqttPort,
      Path spoolDir,
      Consumer<CollectorConfigBuilder> collector,
      Consumer<ApiConfig.Builder> api) {

    /** Options with the API's defaults beyond host and port (plain HTTP). */
    public Options(
        String registryUrl,
        String registryUser,
        String registryPassword,
        StoreLocation store,
        String bindHost,
        int apiPort,
        int mqttPort,
        Path spoolDir,
        Consumer<CollectorConfigBuilder> collector) {
      this(
          registryUrl,
          registryUser,
          registryPassword,
          store,
          bindHost,
          apiPort,
          mqttPort,
          spoolDir,
          collector,
          b -> {});
    }
  }

  private final AtomicBoolean closed = new AtomicBoolean();
  private final PrometheusMeterRegistry metrics =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private RelationalStore relational;
  private Registry registry;
  private EmbeddedQuestDb embedded;
  private String storeHttpUrl;
  private Collector collector;
  private QuestDbSampleReader reader;
  private MeteringApi api;
  private LedgerRefreshJob ledgerRefresh;

  /** How often the ledger of yesterday and today is recomputed from the stores. */
  static final Duration LEDGER_REFRESH = Duration.ofMinutes(5);

  private LabMeterServer() {}

  /** Starts every part; on failure stops what was started and rethrows. */
  public static LabMeterServer start(Options options) {
    LabMeterServer server = new LabMeterServer();
    try {
      server.startAll(options);
      return server;
    } catch (RuntimeException | Error e) {
      server.close();
      throw e;
    }
  }

  private void startAll(Options o) {
    relational = RelationalStore.open(o.registryUrl(), o.registryUser(), o.registryPassword());
    registry = new Registry(relational.dataSource());
    String pgUrl;
    String pgUser;
    String pgPassword;
    if (o.store() instanceof StoreLocation.Embedded e) {
      embedded = EmbeddedQuestDb.start(e.dir(), e.httpPort(), e.pgPort());
      storeHttpUrl = embedded.httpUrl();
      pgUrl = embedded.pgJdbcUrl();
      pgUser = "admin";
      pgPassword = "quest";
    } else {
      StoreLocation.External x = (StoreLocation.External) o.store();
      storeHttpUrl = x.httpUrl();
      pgUrl = x.pgJdbcUrl();
      pgUser = x.pgUser();
      pgPassword = x.pgPassword();
    }
    CollectorConfig collectorConfig =
        CollectorConfig.create(
            b -> {
              o.collector().accept(b);
              b.mqttHost(o.bindHost()).mqttPort(o.mqttPort()).storeUrl(storeHttpUrl);
              if (o.spoolDir() != null) {
                b.spoolDirectory(o.spoolDir());
              }
            });
    collector =
        new Collector(
            collectorConfig,
            new JdbcAgentDirectory(relational.dataSource()),
            new JdbcChainHeads(relational.dataSource()),
            metrics);
    if (embedded != null) {
      // Batches go straight into the embedded engine's WAL writers: no line protocol to format and
      // parse (about 10,000 verified batches/s on two cores instead of about 7,000 over HTTP, and
      // half the PUBACK latency). Behind a write-behind spool too: about a tenth of a core less
      // at 5,000/s, no replay bodies of megabytes for the GC, and the shorter PUBACK tail in the
      // runs of this build (performance.md).
      EmbeddedQuestDb store = embedded;
      collector.batchStore(new InProcessBatchStore(store::engine));
    }
    await(
        collector.start(), "the collector's MQTT listener on " + o.bindHost() + ":" + o.mqttPort());
    // With the store in this JVM, samples are read through QuestDB's own cursor (a year of 1 Hz
    // samples in about a second instead of several over the wire protocol).
    reader =
        new QuestDbSampleReader(
            pgUrl, pgUser, pgPassword, embedded == null ? null : embedded.engine());
    api =
        new MeteringApi(
            ApiConfig.create(
                b -> {
                  b.host(o.bindHost()).port(o.apiPort());
                  o.api().accept(b);
                }),
            registry,
            reader,
            metrics);
    api.healthCheck("collectorSpool", collector::healthy);
    await(api.start(), "the API on " + o.bindHost() + ":" + o.apiPort());
    // Keeps the daily ledger of every instrument current: yesterday and today, every few minutes.
    ledgerRefresh =
        new LedgerRefreshJob(
                registry,
                new LedgerService(
                    registry, usageService(), AttributionPolicy.DEFAULT, Clock.systemUTC()),
                Clock.systemUTC(),
                LEDGER_REFRESH)
            .lateData(
                new LateDataScan(
                    registry, usageService(), reader.batchReader(), Clock.systemUTC()));
    ledgerRefresh.start().join();
  }

  /** Waits for a start; a failure names what could not start, with its cause. */
  private static void await(CompletableFuture<Void> start, String what) {
    try {
      start.join();
    } catch (CompletionException e) {
      Throwable cause = e.getCause() == null ? e : e.getCause();
      throw new IllegalStateException("cannot start " + what + ": " + rootMessage(cause), cause);
    }
  }

  private static String rootMessage(Throwable t) {
    Throwable root = t;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getMessage() == null ? root.toString() : root.getMessage();
  }

  public Registry registry() {
    return registry;
  }

  public UsageService usageService() {
    return new UsageService(registry, reader);
  }

  public PrometheusMeterRegistry metrics() {
    return metrics;
  }

  public int apiPort() {
    return api.port();
  }

  public int mqttPort() {
    return collector.mqttPort();
  }

  public String storeHttpUrl() {
    return storeHttpUrl;
  }

  /** Stops ingest first (it drains and acknowledges what it has), then the API and the stores. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    if (ledgerRefresh != null) {
      ledgerRefresh.stop();
    }
    if (collector != null) {
      collector.stop();
    }
    if (api != null) {
      api.stop();
    }
    if (reader != null) {
      reader.close();
    }
    if (embedded != null) {
      embedded.close();
    }
    if (relational != null) {
      relational.close();
    }
  }
}
