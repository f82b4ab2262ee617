package org.labmeter.collector;

import io.micrometer.core.instrument.MeterRegistry;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.labmeter.collector.auth.AgentDirectory;
import org.labmeter.collector.auth.Authenticator;
import org.labmeter.collector.bridge.MqttBridge;
import org.labmeter.collector.config.CollectorConfig;
import org.labmeter.collector.config.StoreKind;
import org.labmeter.collector.ingest.GroupCommitLimits;
import org.labmeter.collector.ingest.ShardedExecutor;
import org.labmeter.collector.ingest.VerifyingPublishSink;
import org.labmeter.collector.metrics.CollectorMetrics;
import org.labmeter.collector.mqtt.ConnectionServices;
import org.labmeter.collector.mqtt.MqttChannelInitializer;
import org.labmeter.collector.mqtt.MqttServer;
import org.labmeter.collector.mqtt.ServerTls;
import org.labmeter.collector.mqtt.SessionRegistry;
import org.labmeter.collector.spool.SpoolingBatchStore;
import org.labmeter.collector.store.BatchStore;
import org.labmeter.collector.store.QuestDbStoredBatches;
import org.labmeter.collector.store.RecordTables;
import org.labmeter.collector.store.SampleWriter;
import org.labmeter.collector.store.StoreSchema;
import org.labmeter.collector.sweep.ChainSweeper;
import org.labmeter.collector.sweep.UnverifiedLog;
import org.labmeter.collector.verify.BatchVerifier;
import org.labmeter.collector.verify.ChainHeads;
import org.labmeter.collector.verify.Quarantine;
import org.labmeter.collector.verify.StoredBatches;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The collector daemon: an MQTT 3.1.1 listener (and, in bridge mode, a shared subscriber of an
 * external broker) that authenticates agents, checks their topics, verifies each signed batch and
 * writes it to the time-series store before acknowledging it. Threading is described in
 * docs/collector-threading.md.
 */
public final class Collector implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Collector.class);
  private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

  private final CollectorConfig config;
  private final AgentDirectory directory;
  private final CollectorMetrics metrics;
  private final Quarantine quarantine;
  private final ChainHeads chainHeads;
  private final MeterRegistry registry;
  private final SessionRegistry sessions = new SessionRegistry();
  private final AtomicBoolean started = new AtomicBoolean();
  private final AtomicBoolean stopped = new AtomicBoolean();
  private final Object lifecycle = new Object();

  private volatile SampleWriter writer;
  private volatile BatchStore batchStore;
  private volatile RecordTables records;
  private volatile SpoolingBatchStore spool;
  private volatile ShardedExecutor workers;
  private volatile ThreadPoolExecutor authExecutor;
  private volatile MqttServer server;
  private volatile MqttBridge bridge;
  private volatile ChainSweeper sweeper;
  private volatile int boundPort = -1;

  /**
   * @param directory where agents are looked up (blocking allowed)
   * @param chainHeads where hash-chain heads are kept (blocking allowed)
   * @param registry receives the {@code collector.*} meters
   */
  public Collector(
      CollectorConfig config,
      AgentDirectory directory,
      ChainHeads chainHeads,
      MeterRegistry registry) {
    this.config = config;
    this.directory = directory;
    this.metrics = new CollectorMetrics(registry);
    this.quarantine = new Quarantine(config.quarantineSize());
    this.chainHeads = chainHeads;
    this.registry = registry;
  }

  /**
   * Writes accepted batches through {@code store} instead of the line-protocol client, e.g. an
   * {@link org.labmeter.collector.store.InProcessBatchStore} on the embedded QuestDB. Call before
   * {@link #start}; quarantine and agent-status records still go to {@code store.url}.
   */
  public Collector batchStore(BatchStore store) {
    this.batchStore = store;
    return this;
  }

  /**
   * Creates the store schema (QuestDB), starts the workers and binds the listener. Completes once
   * connections are accepted; fails, with everything started so far stopped again, when the store
   * or the port is unavailable.
   */
  public CompletableFuture<Void> start() {
    if (!started.compareAndSet(false, true)) {
      return CompletableFuture.failedFuture(new IllegalStateException("already started"));
    }
    CompletableFuture<Void> result = new CompletableFuture<>();
    // A thread of its own: the schema DDL blocks, and the future must not complete on an event
    // loop, where a caller's stop() would wait for the loop it runs on.
    Thread starter =
        new Thread(
            () -> {
              synchronized (lifecycle) {
                try {
                  if (stopped.get()) {
                    throw new IllegalStateException("stopped before it started");
                  }
                  prepareStore();
                  bind().get(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
                  result.complete(null);
                } catch (Exception | Error e) {
                  Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
                  LOG.error("Collector failed to start: {}", cause.toString());
                  stop();
                  result.completeExceptionally(cause);
                }
              }
            },
            "collector-start");
    starter.start();
    return result;
  }

  private void prepareStore() {
    if (config.storeKind() == StoreKind.QUESTDB) {
      try {
        StoreSchema.ensureQuestDb(config.storeUrl());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /**
   * How much a worker takes into one group. With write-behind a group ends in one fsync of the
   * spool (well under a millisecond), so groups stay small and a batch waits for few others'
   * verification; the store still gets large groups from the replay thread.
   */
  static GroupCommitLimits workerGroups(CollectorConfig config) {
    GroupCommitLimits configured = config.groupCommit();
    if (config.spool() == null || !config.spool().writeBehind()) {
      return configured;
    }
    return new GroupCommitLimits(
        Math.min(configured.maxBatches(), GroupCommitLimits.WRITE_BEHIND.maxBatches()),
        Math.min(configured.maxBytes(), GroupCommitLimits.WRITE_BEHIND.maxBytes()));
  }

  private CompletableFuture<Void> bind() {
    writer = SampleWriter.create(config);
    records = new RecordTables(writer, registry);
    BatchStore store = batchStore != null ? batchStore : writer;
    if (config.spool() != null) {
      try {
        spool = SpoolingBatchStore.open(store, config.spool(), registry);
      } catch (IOException e) {
        throw new UncheckedIOException(
            "cannot open the spool in " + config.spool().directory() + ": " + e.getMessage(), e);
      }
      spool.start();
      store = spool;
    }
    workers =
        new ShardedExecutor(
            config.workerShards(),
            config.shardQueueCapacity(),
            "collector-worker",
            workerGroups(config));
    authExecutor =
        new ThreadPoolExecutor(
            config.authThreads(),
            config.authThreads(),
            30,
            TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(256),
            new DefaultThreadFactory("collector-auth"),
            new ThreadPoolExecutor.AbortPolicy());
    StoredBatches stored =
        config.storeKind() == StoreKind.QUESTDB
            ? new QuestDbStoredBatches(config.storeUrl())
            : StoredBatches.NONE;
    boolean sweeping = config.storeKind() == StoreKind.QUESTDB && config.chains().sweeping();
    UnverifiedLog unverified =
        sweeping ? new UnverifiedLog(UnverifiedLog.DEFAULT_CAPACITY) : UnverifiedLog.off();
    VerifyingPublishSink sink =
        new VerifyingPublishSink(
            heads ->
                new BatchVerifier(
                    heads,
                    stored,
                    config.futureSkew(),
                    config.lateAfter(),
                    Clock.systemUTC(),
                    config.chains().maxChainWindows()),
            chainHeads,
            store,
            quarantine,
            records,
            unverified,
            metrics,
            Clock.systemUTC());
    ConnectionServices services =
        new ConnectionServices(
            new Authenticator(directory),
            authExecutor,
            workers,
            sink,
            sessions,
            metrics,
            config.listener());
    server =
        new MqttServer(
            config.mqttHost(),
            config.mqttPort(),
            config.ioThreads(),
            new MqttChannelInitializer(
                config.maxPacketBytes(),
                config.connectTimeout(),
                services,
                config.listener().tls() == null
                    ? null
                    : ServerTls.context(config.listener().tls())));
    if (sweeping) {
      sweeper =
          new ChainSweeper(
              new QuestDbStoredBatches(config.storeUrl()),
              writer,
              metrics,
              config.chains(),
              System::currentTimeMillis,
              unverified);
      sweeper.start();
    }
    if (config.bridge() != null) {
      bridge = new MqttBridge(config.bridge(), directory, sink, workers, metrics, registry);
    }
    CompletableFuture<Void> listening =
        server
            .start()
            .thenAccept(
                address -> {
                  boundPort = address.getPort();
                  LOG.info(
                      "Collector listening for MQTT on {}, writing to {} at {}",
                      describe(address),
                      config.storeKind(),
                      config.storeUrl());
                });
    MqttBridge b = bridge;
    return b == null ? listening : listening.thenCompose(v -> b.start());
  }

  /** The bridge to the external broker, when the configuration has one. */
  public Optional<MqttBridge> bridge() {
    return Optional.ofNullable(bridge);
  }

  /** The chain sweeper, with a QuestDB store and {@code verify.sweepInterval} above 0. */
  public Optional<ChainSweeper> chainSweeper() {
    return Optional.ofNullable(sweeper);
  }

  /** The port the listener is bound to, useful when the config asked for port 0. */
  public int mqttPort() {
    if (boundPort < 0) {
      throw new IllegalStateException("the collector is not listening");
    }
    return boundPort;
  }

  public Quarantine quarantine() {
    return quarantine;
  }

  public CollectorMetrics metrics() {
    return metrics;
  }

  /** The disk spool, when the configuration has one and the collector has started. */
  public Optional<SpoolingBatchStore> spool() {
    return Optional.ofNullable(spool);
  }

  /**
   * False while the spool is past its unhealthy mark (the store has been down for a while) or its
   * replay thread died; true without a spool.
   */
  public boolean healthy() {
    SpoolingBatchStore s = spool;
    return s == null || s.healthy();
  }

  /**
   * Stops accepting, lets queued batches finish (their PUBACKs still go out), closes the
   * connections, the store client and the event loops. Idempotent. Blocks; never call it from a
   * Netty event loop.
   */
  public void stop() {
    synchronized (lifecycle) {
      if (stopped.compareAndSet(false, true)) {
        release();
      }
    }
  }

  private void release() {
    MqttBridge b = bridge;
    if (b != null) {
      b.stopAccepting();
    }
    MqttServer s = server;
    if (s != null) {
      s.stopAccepting();
    }
    sessions.pauseReading();
    if (spool != null) {
      spool.stopWaitingForRoom();
    }
    if (workers != null) {
      workers.shutdown(DRAIN_TIMEOUT);
    }
    if (b != null) {
      b.stop(); // after the workers: their acknowledgements went out on this connection
    }
    sessions.closeAll().awaitUninterruptibly(5_000);
    if (s != null) {
      s.shutdown(Duration.ofSeconds(5));
    }
    if (authExecutor != null) {
      authExecutor.shutdownNow();
    }
    if (sweeper != null) {
      sweeper.stop();
    }
    if (spool != null) {
      spool.close();
    }
    if (records != null) {
      records.close();
    }
    if (writer != null) {
      writer.close();
    }
    boundPort = -1;
    LOG.info("Collector stopped");
  }

  @Override
  public void close() {
    stop();
  }

  private static String describe(InetSocketAddress address) {
    return address.getHostString() + ":" + address.getPort();
  }
}
