package org.labmeter.collector.sweep;

import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.labmeter.collector.QuestDbQuery;
import org.labmeter.collector.config.ChainSettings;
import org.labmeter.collector.metrics.CollectorMetrics;
import org.labmeter.collector.store.EmbeddedQuestDb;
import org.labmeter.collector.store.QuestDbStoredBatches;
import org.labmeter.collector.store.QuestDbStoredBatches.Unverified;
import org.labmeter.collector.store.StoreSchema;
import org.labmeter.collector.verify.ChainId;
import org.labmeter.collector.verify.StoredBatches;

/**
 * What one chain sweep costs as the evidence grows: {@code lm_batches} filled with DAYS days of
 * ROWS_PER_DAY batch records (500 chains; one in a thousand unverified, all on one chain), then
 * timed: the sweep as it was (candidates by {@code received_at} alone, the chain's genesis and the
 * predecessors read since the genesis, none bounded by {@code ts}), the first sweep of a {@link
 * ChainSweeper} (one scan bounded by {@code ts}) and its later sweeps (candidates from the {@link
 * UnverifiedLog}), and the reads ahead for a new agent's genesis with and without a bound by its
 * first sample. Not a test: run by {@code bench/sweep-scan.sh}. The data stay in the folder for
 * later runs.
 *
 * <p>Arguments: folder, days, rows per day, runs.
 */
public final class SweepScanBench {
  private static final int CHAINS = 500;
  private static final int UNVERIFIED_EVERY = 1_000;
  private static final int CANDIDATE_CHAIN = 7;
  private static final String ZERO = "0".repeat(64);
  private static final String ONE = "1".repeat(64);
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private SweepScanBench() {}

  public static void main(String[] args) throws Exception {
    Path folder = Path.of(args[0]);
    int days = Integer.parseInt(args[1]);
    long perDay = Long.parseLong(args[2]);
    int runs = Integer.parseInt(args[3]);
    try (EmbeddedQuestDb db = EmbeddedQuestDb.start(folder, 0, 0)) {
      String url = db.httpUrl();
      StoreSchema.ensureQuestDb(url);
      long rows = (long) days * perDay;
      long stepMicros = TimeUnit.DAYS.toMicros(1) / perDay;
      long t0 = firstTsMicros(url, rows, days);
      load(url, rows, perDay, t0, stepMicros);
      long now = t0 / 1000 + TimeUnit.DAYS.toMillis(days);
      System.out.printf(
          "DATA lm_batches %,d rows over %d days (%,d a day), %d chains%n",
          QuestDbQuery.count(url, "select count() from lm_batches"), days, perDay, CHAINS);
      ChainSettings settings = ChainSettings.DEFAULT;
      long since = now - settings.sweepHorizon().toMillis();
      ChainId chain7 = new ChainId("agent-" + CANDIDATE_CHAIN, "inst-" + CANDIDATE_CHAIN);
      long pageSeq = (rows - perDay / 24) / CHAINS; // a backlog an hour back
      for (int run = 1; run <= runs; run++) {
        QuestDbStoredBatches stored = new QuestDbStoredBatches(url);
        long start = System.nanoTime();
        int candidates = unboundedSweep(stored, since);
        long unbounded = System.nanoTime() - start;

        UnverifiedLog log = new UnverifiedLog(UnverifiedLog.DEFAULT_CAPACITY);
        for (Unverified u : stored.unverified(since, since - TimeUnit.DAYS.toMillis(1), 1_000)) {
          log.note(
              u.chain(), u.sequence(), u.firstTsMillis(), u.receivedAtMillis()); // as the sink did
        }
        ChainSweeper sweeper =
            new ChainSweeper(
                stored,
                batches -> {},
                new CollectorMetrics(new SimpleMeterRegistry()),
                settings,
                () -> now,
                log);
        start = System.nanoTime();
        sweeper.sweep();
        long first = System.nanoTime() - start;
        start = System.nanoTime();
        sweeper.sweep();
        long later = System.nanoTime() - start;
        System.out.printf(
            "RUN %d: %d candidates on chain %d; unbounded sweep %.1f ms, first sweep %.1f ms,"
                + " later sweep %.1f ms (log %d); a new agent's genesis read ahead: unbounded %.1f"
                + " ms, from its first sample %.1f ms%n",
            run,
            candidates,
            CANDIDATE_CHAIN,
            ms(unbounded),
            ms(first),
            ms(later),
            log.size(),
            ms(readAhead(stored, Long.MIN_VALUE)),
            ms(readAhead(stored, now - 5_000)));
        System.out.printf(
            "RUN %d: a page of 128 sequences below a head (ChainPlacer's read for a backlog):"
                + " since the chain's genesis %.1f ms, from a day before %.1f ms%n",
            run,
            ms(page(stored, pageSeq, stored.chainStart(chain7))),
            ms(page(stored, pageSeq, now - TimeUnit.DAYS.toMillis(1))));
      }
    }
  }

  /** The sweep's reads before they were bounded by ts; returns the candidates found. */
  private static int unboundedSweep(QuestDbStoredBatches stored, long since) {
    Map<ChainId, TreeSet<Long>> byChain = new HashMap<>();
    List<Unverified> found = stored.unverified(since, Long.MIN_VALUE, 1_000);
    for (Unverified u : found) {
      byChain.computeIfAbsent(u.chain(), c -> new TreeSet<>()).add(u.sequence());
    }
    byChain.forEach(
        (chain, seqs) -> {
          long genesis = stored.chainStart(chain);
          stored.range(chain, seqs.first() - 1, seqs.last(), genesis);
        });
    return found.size();
  }

  /**
   * The read ChainPlacer makes for a batch below its chain's head (a backlog sent after live
   * batches): 128 sequences of the candidate chain from {@code fromSeq}, rows with {@code ts} at or
   * after {@code since} (ChainPlacer gives the chain's genesis, looked up once per chain).
   */
  private static long page(QuestDbStoredBatches stored, long fromSeq, long since) {
    ChainId chain = new ChainId("agent-" + CANDIDATE_CHAIN, "inst-" + CANDIDATE_CHAIN);
    long start = System.nanoTime();
    int rows = stored.range(chain, fromSeq, fromSeq + 128, since).size();
    if (rows == 0) {
      throw new IllegalStateException("no rows of " + chain + " from seq " + fromSeq);
    }
    return System.nanoTime() - start;
  }

  /** The two reads ChainPlacer.prefetch makes for a chain the store has never seen. */
  private static long readAhead(QuestDbStoredBatches stored, long since) {
    ChainId fresh = new ChainId("agent-new", "inst-new");
    long start = System.nanoTime();
    Map<ChainId, Long> starts = stored.chainStarts(Map.of(fresh, since));
    stored.ranges(
        Map.of(fresh, new StoredBatches.Span(0, 128)),
        Map.of(fresh, Math.max(since, starts.get(fresh))));
    return System.nanoTime() - start;
  }

  /** The first ts of the data already there, or of new data ending now. */
  private static long firstTsMicros(String url, long rows, int days) {
    if (QuestDbQuery.count(url, "select count() from lm_batches") >= rows) {
      return QuestDbQuery.rows(url, "select min(first_ts) from lm_batches").get(0).get(0).asLong()
          * 1000;
    }
    return (System.currentTimeMillis() - TimeUnit.DAYS.toMillis(days)) * 1000;
  }

  private static void load(String url, long rows, long perDay, long t0, long stepMicros)
      throws IOException, InterruptedException {
    long have = QuestDbQuery.count(url, "select count() from lm_batches");
    if (have >= rows) {
      return;
    }
    long start = System.nanoTime();
    for (long off = 0; off < rows; off += perDay) {
      String x = "(x + " + off + ")";
      String chain = x + " % " + CHAINS;
      String seq = x + " / " + CHAINS;
      String tsMicros = "(" + t0 + " + " + x + " * " + stepMicros + ")";
      exec(
          url,
          "INSERT INTO lm_batches (instrument, agent, epoch, seq, sample_count, first_ts, last_ts,"
              + " prev_hash, hash, chain_ok, received_at, envelope, ts, written_at) SELECT"
              + (" concat('inst-', " + chain + "), concat('agent-', " + chain + "), 1, ")
              + (seq + ", 10, " + tsMicros + " / 1000, " + tsMicros + " / 1000 + 9000, ")
              + ("CASE WHEN " + chain + " = " + CANDIDATE_CHAIN + " THEN CASE WHEN " + seq)
              + (" = 0 THEN '" + ZERO + "' ELSE '" + ONE + "' END ELSE NULL END, ")
              + ("CASE WHEN " + chain + " = " + CANDIDATE_CHAIN + " THEN '" + ONE + "' END, ")
              + (x + " % " + UNVERIFIED_EVERY + " != " + CANDIDATE_CHAIN + ", ")
              + (tsMicros + " / 1000 + 10000, '', cast(" + tsMicros + " AS TIMESTAMP), ")
              + (tsMicros + " / 1000 + 10000 FROM long_sequence(" + perDay + ")"));
    }
    await() // QuestDB applies the WAL behind the inserts
        .atMost(Duration.ofHours(1))
        .pollInterval(Duration.ofMillis(500))
        .until(() -> QuestDbQuery.count(url, "select count() from lm_batches") >= rows);
    System.out.printf("LOAD %,d rows in %.1f s%n", rows, (System.nanoTime() - start) / 1e9);
  }

  private static void exec(String url, String sql) throws IOException, InterruptedException {
    HttpResponse<String> r =
        HTTP.send(
            HttpRequest.newBuilder(
                    URI.create(
                        url + "/exec?query=" + URLEncoder.encode(sql, StandardCharsets.UTF_8)))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200 || r.body().contains("\"error\"")) {
      throw new IOException("QuestDB refused the load: " + r.body());
    }
  }

  private static double ms(long nanos) {
    return nanos / 1e6;
  }
}
