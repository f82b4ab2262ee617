package org.labmeter.collector.store;

import io.questdb.ServerMain;
import io.questdb.cairo.CairoEngine;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * QuestDB running inside this JVM, so that one command runs the whole system on one machine. Only
 * what LabMeter uses is switched on, bound to loopback: HTTP (line protocol at {@code
 * /api/v2/write}, SQL at {@code /exec}) and PostgreSQL wire. The TCP and UDP line-protocol
 * listeners, the health endpoint and telemetry are off; commits are fsync'd ({@code
 * cairo.commit.mode=sync}) because a PUBACK promises durability. Starting again on the same root
 * reuses the data. QuestDB applies WAL writes asynchronously: a row may become visible shortly
 * after the write returned.
 */
public final class EmbeddedQuestDb implements AutoCloseable {
  /** Smallest partition prefix QuestDB splits off instead of rewriting (its default: 50 MB). */
  static final long O3_SPLIT_MIN_BYTES = 2L << 20;

  /** Idle rounds a QuestDB worker spins before it yields (QuestDB's default: 10). */
  static final int IDLE_YIELDS = 10;

  /** Idle rounds after which it naps instead of yielding (QuestDB's default: 7,000). */
  static final int IDLE_NAPS_FROM = 20;

  /** Idle rounds after which it sleeps instead of napping (QuestDB's default: 10,000). */
  static final int IDLE_SLEEPS_FROM = 40;

  /** How long an idle QuestDB worker sleeps between rounds (QuestDB's default: 10 ms). */
  static final int IDLE_SLEEP_MILLIS = 5;

  private final ServerMain server;
  private final Path root;
  private final int httpPort;
  private final int pgPort;
  private final AtomicBoolean closed = new AtomicBoolean();

  private EmbeddedQuestDb(ServerMain server, Path root, int httpPort, int pgPort) {
    this.server = server;
    this.root = root;
    this.httpPort = httpPort;
    this.pgPort = pgPort;
  }

  /**
   * Writes {@code conf/server.conf} and {@code conf/log.conf} under {@code root} (replacing any
   * there) and starts the server. Blocks until it listens, a few seconds.
   *
   * @param httpPort HTTP port, or 0 for a free one
   * @param pgPort PostgreSQL wire port, or 0 for a free one
   */
  public static EmbeddedQuestDb start(Path root, int httpPort, int pgPort) {
    int http = httpPort == 0 ? freePort() : httpPort;
    int pg = pgPort == 0 ? freePort() : pgPort;
    try {
      Path conf = root.resolve("conf");
      Files.createDirectories(conf);
      Files.createDirectories(root.resolve("log"));
      Files.write(conf.resolve("server.conf"), serverConf(http, pg));
      Files.write(conf.resolve("log.conf"), logConf(root.resolve("log").toAbsolutePath()));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write QuestDB configuration under " + root, e);
    }
    ServerMain server = new ServerMain("-d", root.toAbsolutePath().toString());
    try {
      server.start();
    } catch (RuntimeException e) {
      server.close();
      throw new IllegalStateException("QuestDB did not start under " + root, e);
    }
    return new EmbeddedQuestDb(server, root, http, pg);
  }

  /** E.g. {@code http://127.0.0.1:9000}; the store URL for the collector. */
  public String httpUrl() {
    return "http://127.0.0.1:" + httpPort;
  }

  /** PostgreSQL wire URL; user {@code admin}, password {@code quest}. */
  public String pgJdbcUrl() {
    return "jdbc:postgresql://127.0.0.1:" + pgPort + "/qdb";
  }

  public int httpPort() {
    return httpPort;
  }

  public int pgPort() {
    return pgPort;
  }

  /** The engine itself, for reading in this JVM without the wire protocol. */
  public CairoEngine engine() {
    return server.getEngine();
  }

  public Path root() {
    return root;
  }

  /** Stops the server; data stays under the root. Idempotent. */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      server.close();
    }
  }

  private static List<String> serverConf(int httpPort, int pgPort) {
    return List.of(
        "# Written by LabMeter's EmbeddedQuestDb at every start; edits are overwritten.",
        "http.enabled=true",
        "http.net.bind.to=127.0.0.1:" + httpPort,
        "line.http.enabled=true",
        "pg.enabled=true",
        "pg.net.bind.to=127.0.0.1:" + pgPort,
        "line.tcp.enabled=false",
        "line.udp.enabled=false",
        "http.min.enabled=false",
        "telemetry.enabled=false",
        "metrics.enabled=false",
        "cairo.commit.mode=sync",
        // QuestDB sizes each of its pools to the machine by default, so on a small node its
        // network, write and WAL-apply threads outnumber the cores and spin against each other and
        // against the collector's workers; one thread per four cores keeps them fed without that
        // (fleet benchmark on 2 cores: 3,100 → 4,800 verified batches/s, docs/performance.md)
        "shared.network.worker.count=" + ingestThreads(),
        "shared.write.worker.count=" + ingestThreads(),
        "wal.apply.worker.count=" + ingestThreads(),
        // An idle QuestDB worker yields the CPU up to 7,000 times in a row before it naps, and its
        // pools go idle between the collector's commits (a few a second): at 5,000 batches/s the
        // write pool's thread spent a tenth of a core in sched_yield. Here it yields ten times,
        // then naps 1 ms per round, then sleeps 5 ms per round (write pool 10 % -> 4 % of a core,
        // docs/performance.md); a commit then waits at most one sleep before it is applied
        "shared.worker.yield.threshold=" + IDLE_YIELDS,
        "shared.worker.nap.threshold=" + IDLE_NAPS_FROM,
        "shared.worker.sleep.threshold=" + IDLE_SLEEPS_FROM,
        "shared.worker.sleep.timeout=" + IDLE_SLEEP_MILLIS,
        "wal.apply.worker.yield.threshold=" + IDLE_YIELDS,
        "wal.apply.worker.nap.threshold=" + IDLE_NAPS_FROM,
        "wal.apply.worker.sleep.threshold=" + IDLE_SLEEPS_FROM,
        "wal.apply.worker.sleep.timeout=" + IDLE_SLEEP_MILLIS,
        // Every commit of a fleet's batches reaches back a few seconds into the last partition
        // (agents' batches overlap in time), and QuestDB merges such rows by rewriting the
        // partition, prefix included, unless the part before the late rows is larger than this;
        // it then splits the partition there and rewrites only the split. At the 50 MB default
        // the fleet benchmark at 5,000 batches/s wrote 173 MB/s to disk for 5 MB/s of data and
        // the spool's fsyncs queued behind it; at 2 MB QuestDB wrote 36 MB/s
        // (docs/performance.md)
        "cairo.o3.partition.split.min.size=" + O3_SPLIT_MIN_BYTES);
  }

  private static List<String> logConf(Path logDir) {
    return List.of(
        "writers=file",
        "w.file.class=io.questdb.log.LogFileWriter",
        "w.file.location=" + logDir.resolve("questdb.log"),
        // INFO logs every commit; at thousands of commits a minute its writer thread alone took
        // 4 % of a 2-core node
        "w.file.level=ERROR,CRITICAL,ADVISORY");
  }

  /** Threads for each of QuestDB's ingest pools: one per four cores, at least one. */
  static int ingestThreads() {
    return Math.max(1, Runtime.getRuntime().availableProcessors() / 4);
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot find a free port", e);
    }
  }
}
