package org.labmeter.agent;

import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.labmeter.agent.clock.ClockMonitor;
import org.labmeter.agent.config.AgentConfig;
import org.labmeter.agent.config.InstrumentConfig;
import org.labmeter.agent.config.ModbusSource;
import org.labmeter.agent.config.SerialSource;
import org.labmeter.agent.config.SimulatedSource;
import org.labmeter.agent.datadir.DataDir;
import org.labmeter.agent.datadir.DataDirLock;
import org.labmeter.agent.datadir.DurableFile;
import org.labmeter.agent.datadir.EpochCounter;
import org.labmeter.agent.keys.AgentKeyFile;
import org.labmeter.agent.metrics.AgentMetrics;
import org.labmeter.agent.modbus.ModbusBuses;
import org.labmeter.agent.outbox.ChainState;
import org.labmeter.agent.outbox.Outbox;
import org.labmeter.agent.pipeline.BatchChain;
import org.labmeter.agent.pipeline.InstrumentPipeline;
import org.labmeter.agent.pipeline.PollSchedule;
import org.labmeter.agent.pipeline.SampleSource;
import org.labmeter.agent.publish.BatchPublisher;
import org.labmeter.agent.publish.OutboxDrain;
import org.labmeter.agent.publish.PahoBatchPublisher;
import org.labmeter.agent.serial.SerialPorts;
import org.labmeter.agent.simulate.InstrumentSimulator;
import org.labmeter.wire.AgentPublicKey;
import org.labmeter.wire.Batch;
import org.labmeter.wire.Ed25519Signer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An edge agent: samples its instruments, seals signed and hash-chained batches into a durable
 * outbox, and publishes them to the broker, deleting each only after its PUBACK.
 *
 * <p>Threading: one named single-thread scheduler ({@code labmeter-agent-<id>}) owns all state:
 * sampling, batching, signing, outbox writes, publishing and acknowledgements. Paho's threads only
 * hand events to it. The counters may be read from any thread.
 */
public final class EdgeAgent implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EdgeAgent.class);

  /** Samples produced per instrument per scheduler turn, so backfills interleave with the rest. */
  private static final int SAMPLES_PER_TURN = 100;

  private final AgentConfig config;
  private final String agentId;
  private final DataDir dataDir;
  private final Clock clock;
  private final AgentMetrics metrics;
  private final ModbusBuses modbus;
  private final SerialPorts serial;
  private final ClockMonitor clockMonitor;
  private final List<InstrumentPipeline> pipelines = new CopyOnWriteArrayList<>();
  private final List<ScheduledFuture<?>> tasks = new ArrayList<>();
  private ScheduledExecutorService executor;
  private Ed25519Signer signer;
  private DataDirLock lock;
  private volatile Outbox outbox;
  private volatile OutboxDrain drain;
  private BatchPublisher publisher;
  private volatile long epoch;
  private volatile boolean stopping;
  private CompletableFuture<Void> started;
  private CompletableFuture<Void> stopped;

  public EdgeAgent(AgentConfig config, MeterRegistry registry) {
    this(config, registry, Clock.systemUTC());
  }

  /**
   * @param clock the agent's clock: live sampling times and batch creation times
   */
  public EdgeAgent(AgentConfig config, MeterRegistry registry, Clock clock) {
    this.config = Objects.requireNonNull(config, "config");
    this.agentId = config.agent().id();
    this.dataDir = new DataDir(config.agent().dataDir());
    this.clock = Objects.requireNonNull(clock, "clock");
    this.metrics = new AgentMetrics(Objects.requireNonNull(registry, "registry"), agentId);
    this.modbus = new ModbusBuses(agentId, registry, clock);
    this.serial = new SerialPorts(agentId, registry, clock);
    this.clockMonitor = new ClockMonitor(agentId, config.clock(), clock);
  }

  /**
   * Takes the data directory, loads (or on a fresh directory creates) the key, counts the boot,
   * recovers the outbox and chains, then starts sampling and connecting. Completes once the agent
   * runs; a broker that is down does not delay it, since batches wait in the outbox. Completes
   * exceptionally with a message saying what to fix when the agent cannot run.
   */
  public synchronized CompletableFuture<Void> start() {
    if (started != null) {
      return started;
    }
    executor =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "labmeter-agent-" + agentId);
              t.setDaemon(true);
              return t;
            });
    started = new CompletableFuture<>();
    executor.execute(
        () -> {
          try {
            startOnExecutor();
            started.complete(null);
          } catch (Exception | Error e) {
            // Errors too (a class missing from the class path): the caller must not wait forever.
            log.error("agent {}: cannot start: {}", agentId, e.toString());
            clockMonitor.stop();
            modbus.stop();
            serial.stop();
            if (outbox != null) {
              closeOutbox();
            }
            releaseLock();
            executor.shutdown();
            started.completeExceptionally(e);
          }
        });
    return started;
  }

  private void startOnExecutor() throws IOException {
    DurableFile.createDirectories(dataDir.root());
    lock = DataDirLock.acquire(dataDir);
    Ed25519Signer key = signer();
    epoch = EpochCounter.increment(dataDir);
    Outbox box = new Outbox(dataDir, config.outbox().maxBytes());
    Map<String, ChainState> chains = box.recover(agentId);
    outbox = box;
    metrics.gauge("agent.outbox.pending", box::pendingCount);
    metrics.gauge("agent.outbox.bytes", box::pendingBytes);
    metrics.gauge("agent.outbox.disk.bytes", box::diskBytes);
    metrics.gauge("agent.outbox.truncated", box::truncatedRecords);
    publisher =
        new PahoBatchPublisher(
            config.mqtt(), config.replay().maxInflight(), agentId, epoch, executor, metrics, clock);
    drain =
        new OutboxDrain(
            agentId,
            box,
            publisher,
            config.mqtt().maxInflight(),
            config.replay(),
            (task, delayNanos) -> executor.schedule(task, delayNanos, TimeUnit.NANOSECONDS),
            System::nanoTime,
            metrics);
    metrics.gauge(
        "agent.clock.offset.known",
        () -> clockOffsetMillis() == Batch.CLOCK_OFFSET_UNKNOWN ? 0 : 1);
    metrics.gauge("agent.mqtt.connected", () -> publisher.isConnected() ? 1 : 0);
    for (InstrumentConfig instrument : config.instruments()) {
      ChainState chain = chains.getOrDefault(instrument.id(), ChainState.INITIAL);
      pipelines.add(pipeline(instrument, key, chain));
    }
    log.info(
        "agent {}: started, epoch {}, key {}, {} instruments, {} batches pending in {}",
        agentId,
        epoch,
        key.publicKey().fingerprint(),
        pipelines.size(),
        box.pendingCount(),
        dataDir.root());
    clockMonitor.start();
    modbus.start();
    serial.start();
    publisher.start(drain);
    for (InstrumentPipeline pipeline : pipelines) {
      tasks.add(executor.schedule(() -> tick(pipeline), 0, TimeUnit.MILLISECONDS));
    }
    long ageCheck = Math.max(50, config.batching().maxAgeMillis() / 4);
    tasks.add(
        executor.scheduleWithFixedDelay(
            () -> pipelines.forEach(InstrumentPipeline::closeIfOld),
            ageCheck,
            ageCheck,
            TimeUnit.MILLISECONDS));
  }

  private InstrumentPipeline pipeline(
      InstrumentConfig instrument, Ed25519Signer key, ChainState chain) {
    SampleSource source;
    if (instrument.source() instanceof SimulatedSource simulated) {
      InstrumentSimulator simulator =
          new InstrumentSimulator(simulated.kind(), simulated.seed(), simulated.pace());
      source = simulator::sampleAt;
    } else if (instrument.source() instanceof ModbusSource modbusSource) {
      source = modbus.add(instrument.id(), modbusSource);
    } else if (instrument.source() instanceof SerialSource serialSource) {
      source = serial.add(instrument.id(), serialSource);
    } else {
      throw new IllegalArgumentException(
          "instrument " + instrument.id() + ": unsupported source " + instrument.source().type());
    }
    PollSchedule schedule =
        PollSchedule.of(
            instrument.source().mode(),
            instrument.source().periodMillis(),
            clock.millis(),
            chain.lastSampleMillis());
    BatchChain batchChain =
        new BatchChain(
            agentId, instrument.id(), epoch, key, outbox, clock, clockMonitor::offsetMillis, chain);
    if (chain.nextSequence() > 0) {
      log.info(
          "agent {} instrument {}: chain continues at sequence {}",
          agentId,
          instrument.id(),
          chain.nextSequence());
    }
    return new InstrumentPipeline(
        agentId,
        instrument.id(),
        source,
        schedule,
        config.batching(),
        batchChain,
        outbox,
        metrics,
        clock,
        entry -> drain.sealed(entry));
  }

  private void tick(InstrumentPipeline pipeline) {
    if (stopping) {
      return;
    }
    long delay = pipeline.tick(SAMPLES_PER_TURN);
    if (delay < 0) {
      log.info(
          "agent {} instrument {}: window complete after {} samples",
          agentId,
          pipeline.instrumentId(),
          pipeline.samplesProduced());
      return;
    }
    tasks.add(executor.schedule(() -> tick(pipeline), delay, TimeUnit.MILLISECONDS));
    tasks.removeIf(ScheduledFuture::isDone);
  }

  /**
   * Seals the open batches into the outbox, publishes the offline status, disconnects (waiting a
   * few seconds for in-flight acknowledgements) and releases the data directory. What is not
   * acknowledged stays in the outbox for the next start. Idempotent.
   */
  public synchronized CompletableFuture<Void> stop() {
    if (stopped != null) {
      return stopped;
    }
    if (started == null) {
      stopped = CompletableFuture.completedFuture(null);
      return stopped;
    }
    stopped = new CompletableFuture<>();
    started.whenComplete(
        (ok, startError) -> {
          if (startError != null) {
            stopped.complete(null);
            return;
          }
          executor.execute(this::stopOnExecutor);
        });
    return stopped;
  }

  private void stopOnExecutor() {
    stopping = true;
    clockMonitor.stop();
    modbus.stop();
    serial.stop();
    tasks.forEach(t -> t.cancel(false));
    pipelines.forEach(InstrumentPipeline::flush);
    publisher
        .stop()
        .whenComplete(
            (ok, error) ->
                executor.execute(
                    () -> {
                      closeOutbox();
                      releaseLock();
                      log.info(
                          "agent {}: stopped; {} batches left in the outbox",
                          agentId,
                          outbox.pendingCount());
                      executor.shutdown();
                      stopped.complete(null);
                    }));
  }

  private void closeOutbox() {
    try {
      outbox.close();
    } catch (IOException e) {
      log.warn(
          "agent {}: closing the outbox in {}: {}", agentId, dataDir.outboxDir(), e.toString());
    }
  }

  private void releaseLock() {
    if (lock != null) {
      try {
        lock.close();
      } catch (IOException e) {
        log.warn("agent {}: releasing {}: {}", agentId, dataDir.lockFile(), e.toString());
      }
      lock = null;
    }
  }

  @Override
  public void close() {
    stop().join();
  }

  public String agentId() {
    return agentId;
  }

  /**
   * The agent's public key, for enrolment. Loads the key, or creates it on a fresh data directory,
   * so that it can be enrolled before the first start.
   */
  public AgentPublicKey publicKey() {
    return signer().publicKey();
  }

  /** The public key fingerprint an administrator compares with the registry. */
  public String fingerprint() {
    return publicKey().fingerprint();
  }

  private synchronized Ed25519Signer signer() {
    if (signer == null) {
      signer = AgentKeyFile.forAgent(dataDir);
    }
    return signer;
  }

  /** This boot's epoch, 0 before start. */
  public long epoch() {
    return epoch;
  }

  public boolean connected() {
    return publisher != null && publisher.isConnected();
  }

  /** The clock offset new batches carry, or {@link Batch#CLOCK_OFFSET_UNKNOWN}. */
  public int clockOffsetMillis() {
    return clockMonitor.offsetMillis();
  }

  /** Batches in the outbox, not yet acknowledged. */
  public long outboxPending() {
    Outbox box = outbox;
    return box == null ? 0 : box.pendingCount();
  }

  /** Batches acknowledged by the broker and deleted since start. */
  public long batchesAcked() {
    OutboxDrain d = drain;
    return d == null ? 0 : d.acked();
  }

  /** Samples taken from the sources since start, dropped ones included. */
  public long samplesProduced() {
    return pipelines.stream().mapToLong(InstrumentPipeline::samplesProduced).sum();
  }

  /** Samples that never reached the outbox (quota full, or a failed write). */
  public long samplesDropped() {
    return pipelines.stream().mapToLong(InstrumentPipeline::samplesDropped).sum();
  }
}
