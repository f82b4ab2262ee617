package org.labmeter.collector.sweep;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.labmeter.collector.config.ChainSettings;
import org.labmeter.collector.metrics.CollectorMetrics;
import org.labmeter.collector.store.BatchStore;
import org.labmeter.collector.store.BatchWrite;
import org.labmeter.collector.store.QuestDbStoredBatches;
import org.labmeter.collector.store.QuestDbStoredBatches.Unverified;
import org.labmeter.collector.store.StoreWriteException;
import org.labmeter.collector.verify.ChainEntry;
import org.labmeter.collector.verify.ChainId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds stored batches left unverified although their predecessor is now stored and matches, and
 * writes them again as verified. In bridge mode one agent's chain is split across collectors: a
 * batch placed by one collector before the batch before it reached the store through another is
 * stored with {@code chain_ok = false}, and no later batch of that chain reaches the first
 * collector to relink it. The rule is the verifier's: a batch is verified when the stored batch
 * with sequence {@code seq - 1}, in the same run (since the newest genesis), has the hash it names.
 *
 * <p>Bounded: each sweep looks at most {@link #MAX_CANDIDATES} batches received within {@code
 * verify.sweepHorizon}, and writes what links in one store request. Idempotent, and safe with
 * several collectors sweeping at once: the rewrite is the same rows with the dedup keys of the
 * first write, so the store keeps one of each. Runs on its own thread ({@code
 * collector-chain-sweeper}); a sweep the store refuses is logged and tried again at the next one.
 */
public final class ChainSweeper {
  private static final Logger LOG = LoggerFactory.getLogger(ChainSweeper.class);

  /** Unverified batches looked at per sweep. */
  public static final int MAX_CANDIDATES = 1_000;

  /** Sequences further apart than this in one chain are read back separately. */
  private static final long RUN_GAP = 64;

  private final QuestDbStoredBatches stored;
  private final BatchStore store;
  private final CollectorMetrics metrics;
  private final ChainSettings settings;
  private final LongSupplier clock;
  private ScheduledExecutorService timer;

  public ChainSweeper(
      QuestDbStoredBatches stored,
      BatchStore store,
      CollectorMetrics metrics,
      ChainSettings settings,
      LongSupplier clock) {
    this.stored = stored;
    this.store = store;
    this.metrics = metrics;
    this.settings = settings;
    this.clock = clock;
  }

  /** Sweeps every {@code verify.sweepInterval}, the first time one interval from now. */
  public synchronized void start() {
    if (timer != null || !settings.sweeping()) {
      return;
    }
    timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "collector-chain-sweeper");
              t.setDaemon(true);
              return t;
            });
    long every = settings.sweepInterval().toMillis();
    timer.scheduleWithFixedDelay(this::sweepLogged, every, every, TimeUnit.MILLISECONDS);
  }

  /** Stops after the sweep in progress, if any (at most 30 s). Idempotent. */
  public synchronized void stop() {
    if (timer == null) {
      return;
    }
    timer.shutdown();
    try {
      if (!timer.awaitTermination(30, TimeUnit.SECONDS)) {
        timer.shutdownNow();
      }
    } catch (InterruptedException e) {
      timer.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }

  private void sweepLogged() {
    try {
      sweep();
    } catch (RuntimeException | StoreWriteException e) {
      LOG.warn(
          "Chain sweep failed; trying again in {}: {}", settings.sweepInterval(), e.toString());
    }
  }

  /**
   * One sweep. Blocking (store reads and one write).
   *
   * @return the batches written again as verified
   * @throws StoreWriteException when the store refused the rewrite (nothing is counted)
   */
  public int sweep() throws StoreWriteException {
    long since = clock.getAsLong() - settings.sweepHorizon().toMillis();
    Map<ChainId, TreeSet<Long>> byChain = new HashMap<>();
    for (Unverified u : stored.unverified(since, MAX_CANDIDATES)) {
      byChain.computeIfAbsent(u.chain(), c -> new TreeSet<>()).add(u.sequence());
    }
    List<BatchWrite> rewrites = new ArrayList<>();
    for (Map.Entry<ChainId, TreeSet<Long>> chain : byChain.entrySet()) {
      linked(chain.getKey(), chain.getValue(), rewrites);
    }
    if (rewrites.isEmpty()) {
      return 0;
    }
    store.write(rewrites);
    metrics.swept(rewrites.size());
    LOG.info("Chain sweep: {} stored batches now link to their predecessor", rewrites.size());
    return rewrites.size();
  }

  /** Adds to {@code out} the batches of {@code sequences} that link to their stored predecessor. */
  private void linked(ChainId chain, TreeSet<Long> sequences, List<BatchWrite> out) {
    long start = stored.chainStart(chain);
    long from = -1;
    long to = -1;
    for (long seq : sequences) {
      if (from >= 0 && seq - to > RUN_GAP) {
        check(chain, from, to, start, sequences, out);
        from = -1;
      }
      if (from < 0) {
        from = seq;
      }
      to = seq;
    }
    check(chain, from, to, start, sequences, out);
  }

  private void check(
      ChainId chain, long from, long to, long start, TreeSet<Long> wanted, List<BatchWrite> out) {
    TreeMap<Long, ChainEntry> rows = new TreeMap<>();
    for (ChainEntry e : stored.range(chain, from - 1, to, start)) {
      rows.put(e.sequence(), e);
    }
    for (long seq : wanted.subSet(from, true, to, true)) {
      ChainEntry e = rows.get(seq);
      ChainEntry before = rows.get(seq - 1);
      if (e != null
          && !e.chainOk()
          && e.batch() != null
          && before != null
          && before.hash().equals(e.previousHash())) {
        out.add(new BatchWrite(e.batch(), true, e.receivedAtMillis()));
      }
    }
  }
}
