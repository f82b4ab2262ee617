package org.labmeter.agent.bench;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.labmeter.agent.datadir.DataDir;
import org.labmeter.agent.metrics.AgentMetrics;
import org.labmeter.agent.outbox.ChainState;
import org.labmeter.agent.outbox.Outbox;
import org.labmeter.agent.pipeline.BatchChain;
import org.labmeter.agent.publish.BatchPublisher;
import org.labmeter.agent.publish.OutboxDrain;
import org.labmeter.wire.Ed25519Signer;
import org.labmeter.wire.Sample;

/**
 * The outbox after a week offline at 1 Hz: seals {@code batches} batches of five samples through
 * the agent's own {@link BatchChain} (signing, log append with fdatasync, chain state file),
 * reports the disk bytes, then reopens the outbox as a restarted agent would and replays it through
 * {@link OutboxDrain} to a publisher that acknowledges every batch at once, on one thread like the
 * agent's.
 *
 * <p>Run by {@code bench/outbox-bench.sh [batches] [folder]}.
 */
public final class OutboxBench {
  private static final String AGENT = "bench-agent-1";
  private static final String INSTRUMENT = "bench-ms-01";
  private static final int SAMPLES_PER_BATCH = 5;

  private OutboxBench() {}

  public static void main(String[] args) throws Exception {
    int batches = args.length > 0 ? Integer.parseInt(args[0]) : 120_000;
    Path root = args.length > 1 ? Path.of(args[1]) : Files.createTempDirectory("outbox-bench");
    DataDir dataDir = new DataDir(root.resolve("data"));
    Files.createDirectories(dataDir.root());
    Ed25519Signer signer = Ed25519Signer.fromSeed(new byte[32]);

    Outbox outbox = new Outbox(dataDir, Long.MAX_VALUE);
    outbox.recover(AGENT);
    BatchChain chain =
        new BatchChain(AGENT, INSTRUMENT, 1, signer, outbox, Clock.systemUTC(), ChainState.INITIAL);
    long t0 = 1_772_445_600_000L;
    long start = System.nanoTime();
    for (int b = 0; b < batches; b++) {
      List<Sample> samples = new ArrayList<>(SAMPLES_PER_BATCH);
      for (int i = 0; i < SAMPLES_PER_BATCH; i++) {
        long ts = t0 + (long) (b * SAMPLES_PER_BATCH + i) * 1000;
        samples.add(Sample.power(ts, 1500 + (ts % 97), ts / 3_600_000.0));
      }
      chain.seal(samples);
    }
    double sealSeconds = (System.nanoTime() - start) / 1e9;
    outbox.close();
    long samples = (long) batches * SAMPLES_PER_BATCH;
    System.out.printf(
        "sealed %,d batches (%,d samples) in %.1f s: %,.0f samples/s (sign, append + fdatasync,"
            + " chain state file)%n",
        batches, samples, sealSeconds, samples / sealSeconds);
    System.out.printf(
        "outbox on disk: %,d bytes in %d segment files (%,.1f MB), %,d bytes of envelopes%n",
        segmentBytes(dataDir),
        segmentCount(dataDir),
        segmentBytes(dataDir) / 1e6,
        outbox.pendingBytes());

    ExecutorService agentThread =
        Executors.newSingleThreadExecutor(r -> new Thread(r, "labmeter-agent-bench"));
    try {
      replay(dataDir, batches, samples, agentThread);
    } finally {
      agentThread.shutdownNow();
    }
    System.out.printf(
        "after the replay: %,d bytes in %d segment files%n",
        segmentBytes(dataDir), segmentCount(dataDir));
  }

  private static void replay(DataDir dataDir, int batches, long samples, ExecutorService thread)
      throws Exception {
    long start = System.nanoTime();
    Outbox outbox = new Outbox(dataDir, Long.MAX_VALUE);
    outbox.recover(AGENT);
    double recoverSeconds = (System.nanoTime() - start) / 1e9;
    CountDownLatch done = new CountDownLatch(1);
    ImmediatePublisher publisher = new ImmediatePublisher(thread);
    OutboxDrain drain =
        new OutboxDrain(
            AGENT, outbox, publisher, 10, new AgentMetrics(new SimpleMeterRegistry(), AGENT));
    publisher.onAck =
        () -> {
          if (drain.acked() == batches) {
            done.countDown();
          }
        };
    thread.execute(drain::connected);
    if (!done.await(10, TimeUnit.MINUTES)) {
      throw new IllegalStateException("replay stalled at " + drain.acked() + " batches");
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    CompletableFuture.runAsync(
            () -> {
              try {
                outbox.close();
              } catch (IOException e) {
                throw new IllegalStateException(e);
              }
            },
            thread)
        .join();
    System.out.printf(
        "replayed %,d batches (%,d samples) in %.2f s, start-up recovery %.2f s of it:"
            + " %,.0f samples/s, %,.0f batches/s (publisher acknowledging at once, window 10)%n",
        batches, samples, seconds, recoverSeconds, samples / seconds, batches / seconds);
  }

  private static long segmentBytes(DataDir dataDir) throws IOException {
    try (Stream<Path> files = Files.walk(dataDir.outboxDir())) {
      return files
          .filter(f -> f.toString().endsWith(".seg"))
          .mapToLong(f -> f.toFile().length())
          .sum();
    }
  }

  private static long segmentCount(DataDir dataDir) throws IOException {
    try (Stream<Path> files = Files.walk(dataDir.outboxDir())) {
      return files.filter(f -> f.toString().endsWith(".seg")).count();
    }
  }

  /** Acknowledges every batch at once, completing on the agent's thread as Paho's hand-off does. */
  private static final class ImmediatePublisher implements BatchPublisher {
    private final ExecutorService thread;
    volatile Runnable onAck = () -> {};

    ImmediatePublisher(ExecutorService thread) {
      this.thread = thread;
    }

    @Override
    public void start(Listener listener) {}

    @Override
    public boolean isConnected() {
      return true;
    }

    @Override
    public CompletableFuture<Void> publish(String topic, byte[] payload) {
      CompletableFuture<Void> ack = new CompletableFuture<>();
      thread.execute(
          () -> {
            ack.complete(null);
            onAck.run();
          });
      return ack;
    }

    @Override
    public CompletableFuture<Void> stop() {
      return CompletableFuture.completedFuture(null);
    }
  }
}
