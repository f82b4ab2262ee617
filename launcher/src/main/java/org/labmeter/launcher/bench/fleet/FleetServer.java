package org.labmeter.launcher.bench.fleet;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.labmeter.collector.Collector;
import org.labmeter.collector.auth.AgentRecord;
import org.labmeter.collector.auth.CredentialHash;
import org.labmeter.collector.auth.InMemoryAgentDirectory;
import org.labmeter.collector.config.CollectorConfig;
import org.labmeter.collector.store.EmbeddedQuestDb;
import org.labmeter.collector.store.InProcessBatchStore;
import org.labmeter.collector.verify.InMemoryChainHeads;
import org.labmeter.wire.AgentPublicKey;
import org.labmeter.wire.Batch;
import org.labmeter.wire.BatchCodec;
import org.labmeter.wire.BatchHash;
import org.labmeter.wire.DecodeResult;
import org.labmeter.wire.Ed25519Signer;
import org.labmeter.wire.Sample;
import org.labmeter.wire.SignatureCheck;
import org.labmeter.wire.SignedBatch;

/**
 * The collector side of the fleet benchmark: embedded QuestDB and a collector that knows every
 * fleet agent, driven by one-word commands on standard input so that a script can take the store
 * down and up, read the heap and count what was stored while a separate load JVM runs.
 *
 * <p>Commands: {@code heap}, {@code stats}, {@code count}, {@code store-down}, {@code store-up},
 * {@code quit}. Each answer is one line starting with the command's name in capitals.
 */
public final class FleetServer {
  /** Credentials hashed cheaply: first-connection cost is not what the benchmark measures. */
  private static final int BENCH_HASH_ITERATIONS = CredentialHash.MIN_ITERATIONS;

  /**
   * What the collector side runs with.
   *
   * @param port MQTT port, 0 for a free one
   * @param root folder for QuestDB and the spool
   * @param spool spool to disk while the store is down
   * @param writeBehind acknowledge once fsync'd to the spool (needs {@code spool})
   * @param replayMaxRate most batches/s the spool replays, 0 for no limit
   * @param inProcessStore write batches through the embedded QuestDB's WAL writers
   * @param spoolMaxBytes the spool's quota
   */
  public record Settings(
      int agents,
      int port,
      Path root,
      boolean spool,
      boolean writeBehind,
      int replayMaxRate,
      boolean inProcessStore,
      long spoolMaxBytes) {}

  private final Settings settings;
  private final int agents;
  private final Path root;
  private final PrintStream out;
  private volatile EmbeddedQuestDb store;

  public FleetServer(Settings settings, PrintStream out) {
    this.settings = settings;
    this.agents = settings.agents();
    this.root = settings.root();
    this.out = out;
  }

  public void run() throws Exception {
    out.printf(
        "VERIFY single-core Ed25519 verify: %.0f batches/s one by one, %.0f batches/s in groups of"
            + " %d%n",
        verifyRate(false), verifyRate(true), SignatureCheck.MAX_GROUP);
    InMemoryAgentDirectory directory = new InMemoryAgentDirectory();
    List<AgentRecord> records = new ArrayList<>(agents);
    IntStream.range(0, agents).forEach(a -> records.add(null));
    IntStream.range(0, agents)
        .parallel()
        .forEach(
            a -> {
              FleetAgent agent = FleetAgent.of(a);
              records.set(
                  a,
                  new AgentRecord(
                      agent.agentId(),
                      CredentialHash.create(agent.secret().toCharArray(), BENCH_HASH_ITERATIONS)
                          .encoded(),
                      agent.key().publicKey(),
                      Set.of(agent.instrumentId()),
                      true));
            });
    records.forEach(directory::put);
    Files.createDirectories(root);
    int httpPort = freePort();
    int pgPort = freePort();
    store = EmbeddedQuestDb.start(root.resolve("questdb"), httpPort, pgPort);
    CollectorConfig config =
        CollectorConfig.create(
            b -> {
              b.mqttPort(settings.port()).storeUrl(store.httpUrl());
              if (settings.spool()) {
                b.spoolDirectory(root.resolve("spool"))
                    .spoolMaxBytes(settings.spoolMaxBytes())
                    .spoolWriteBehind(settings.writeBehind())
                    .spoolReplayMaxRate(settings.replayMaxRate());
              }
            });
    Collector collector =
        new Collector(config, directory, new InMemoryChainHeads(), new SimpleMeterRegistry());
    if (settings.inProcessStore()) {
      collector.batchStore(new InProcessBatchStore(() -> store.engine()));
    }
    collector.start().join();
    out.printf("READY port=%d agents=%d store=%s%n", collector.mqttPort(), agents, store.httpUrl());
    out.flush();
    HttpClient http = HttpClient.newHttpClient();
    try (BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
      for (String line; (line = in.readLine()) != null; ) {
        switch (line.trim()) {
          case "heap" -> out.printf("HEAP used %.1f MB%n", heapAfterGc() / 1e6);
          case "stats" ->
              out.printf(
                  "STATS connections %d, spool %d records%n",
                  collector.metrics().openConnections(),
                  collector.spool().map(s -> s.depthRecords()).orElse(0L));
          case "count" -> out.printf("COUNT %s%n", count(http, httpPort));
          case "store-down" -> {
            store.close();
            out.println("STORE-DOWN");
          }
          case "store-up" -> {
            store = EmbeddedQuestDb.start(root.resolve("questdb"), httpPort, pgPort);
            out.println("STORE-UP");
          }
          case "quit" -> {
            collector.stop();
            store.close();
            out.println("QUIT");
            return;
          }
          case "" -> {}
          default -> out.println("UNKNOWN " + line);
        }
        out.flush();
      }
    }
    collector.stop();
    store.close();
  }

  /**
   * Single-core decode + verify of 10-sample batches from 64 agents, after warm-up: one by one
   * ({@code combined} false) or in groups of {@link SignatureCheck#MAX_GROUP} checked together.
   */
  private static double verifyRate(boolean combined) {
    List<byte[]> envelopes = new ArrayList<>();
    List<AgentPublicKey> keys = new ArrayList<>();
    for (int a = 0; a < 64; a++) {
      Ed25519Signer key = FleetAgent.of(a).key();
      BatchHash previous = BatchHash.ZERO;
      for (int i = 0; i < 4; i++) {
        List<Sample> samples = new ArrayList<>();
        for (int s = 0; s < 10; s++) {
          samples.add(Sample.power(1_700_000_000_000L + (i * 10L + s) * 1000, 1000 + s, 1.0));
        }
        SignedBatch signed =
            BatchCodec.sign(
                new Batch(
                    FleetAgent.of(a).agentId(),
                    FleetAgent.of(a).instrumentId(),
                    1,
                    i,
                    previous,
                    1_700_000_000_000L,
                    Batch.CLOCK_OFFSET_UNKNOWN,
                    samples),
                key);
        previous = signed.hash();
        envelopes.add(signed.envelope());
        keys.add(key.publicKey());
      }
    }
    int group = combined ? SignatureCheck.MAX_GROUP : 1;
    long count = 0;
    long start = 0;
    long warmUntil = System.nanoTime() + 2_000_000_000L; // so the JIT has compiled the path
    long end = Long.MAX_VALUE;
    boolean warm = false;
    while (System.nanoTime() < end) {
      if (!warm && System.nanoTime() >= warmUntil) {
        warm = true;
        count = 0;
        start = System.nanoTime();
        end = start + 3_000_000_000L;
      }
      List<SignedBatch> batches = new ArrayList<>(group);
      List<AgentPublicKey> batchKeys = new ArrayList<>(group);
      for (int g = 0; g < group; g++) {
        int i = (int) ((count + g) % envelopes.size());
        DecodeResult decoded = BatchCodec.decode(envelopes.get(i));
        if (!(decoded instanceof DecodeResult.Decoded d)) {
          throw new IllegalStateException("benchmark batch does not decode");
        }
        batches.add(d.signedBatch());
        batchKeys.add(keys.get(i));
      }
      boolean[] valid =
          combined
              ? SignatureCheck.verifyAll(batches, batchKeys)
              : new boolean[] {batches.get(0).verify(batchKeys.get(0))};
      for (boolean v : valid) {
        if (!v) {
          throw new IllegalStateException("benchmark batch does not verify");
        }
      }
      count += group;
    }
    return count / ((System.nanoTime() - start) / 1e9);
  }

  private static long heapAfterGc() {
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  /**
   * Rows in lm_batches once the count has stopped moving: QuestDB applies its write-ahead log a
   * moment after a write is acknowledged, so a count read at once can trail the acknowledgements.
   */
  private static String count(HttpClient http, int httpPort) {
    String last = countOnce(http, httpPort);
    for (int i = 0; i < 60; i++) {
      java.util.concurrent.locks.LockSupport.parkNanos(2_000_000_000L);
      String now = countOnce(http, httpPort);
      if (now.equals(last)) {
        return now;
      }
      last = now;
    }
    return last + " (still changing)";
  }

  private static String countOnce(HttpClient http, int httpPort) {
    String sql = "SELECT count() batches, count_distinct(agent) agents FROM lm_batches";
    try {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(
                      URI.create(
                          "http://127.0.0.1:"
                              + httpPort
                              + "/exec?query="
                              + URLEncoder.encode(sql, StandardCharsets.UTF_8)))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      String body = r.body();
      int at = body.indexOf("\"dataset\":");
      return at < 0 ? body : "batches,agents " + body.substring(at + 10, body.indexOf('}', at));
    } catch (Exception e) {
      return "failed: " + e;
    }
  }

  private static int freePort() throws java.io.IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
