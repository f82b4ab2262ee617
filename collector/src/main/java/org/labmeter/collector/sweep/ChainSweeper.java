package org.labmeter.collector.sweep;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
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
 * verify.sweepHorizon}, and writes what links in one store request. Its candidates come from the
 * {@link UnverifiedLog} of what this collector stored unverified; only the first sweep (and one
 * after the log overflowed) scans {@code lm_batches}, for what an earlier run left, and every read
 * is bounded by {@code ts}, so a sweep's cost follows the unverified batches, not the evidence
 * stored over the years. Idempotent, and safe with several collectors sweeping at once: the rewrite
 * is the same rows with the dedup keys of the first write, so the store keeps one of each. Runs on
 * its own thread ({@code collector-chain-sweeper}); a sweep the store refuses is logged and tried
 * again at the next one.
 */
public final class ChainSweeper {
  private static final Logger LOG = LoggerFactory.getLogger(ChainSweeper.class);

  /** Unverified batches looked at per sweep. */
  public static final int MAX_CANDIDATES = 1_000;

  /** Sequences further apart than this in one chain are read back separately. */
  private static final long RUN_GAP = 64;

  /**
   * How much older than the batch its predecessor may be for a sweep to find it; also how much
   * older than the horizon the first sweep's scan looks (a batch's {@code ts} is its first sample,
   * and only {@code ts} lets QuestDB skip partitions).
   */
  static final long LOOKBACK_MILLIS = TimeUnit.DAYS.toMillis(1);

  private final QuestDbStoredBatches stored;
  private final BatchStore store;
  private final CollectorMetrics metrics;
  private final ChainSettings settings;
  private final LongSupplier clock;
  private final UnverifiedLog log;
  private ScheduledExecutorService timer;
  private final AtomicBoolean scanStore = new AtomicBoolean(true);

  public ChainSweeper(
      QuestDbStoredBatches stored,
      BatchStore store,
      CollectorMetrics metrics,
      ChainSettings settings,
      LongSupplier clock,
      UnverifiedLog log) {
    this.stored = stored;
    this.log = log;
    metrics.unverifiedWaiting(log::size);
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
   * One sweep. Blocking (store reads and one write). The first sweep, and the first after the log
   * overflowed, scans {@code lm_batches} for unverified batches (what an earlier run of the
   * collector stored); the others take the candidates from the {@link UnverifiedLog}.
   *
   * @return the batches written again as verified
   * @throws StoreWriteException when the store refused the rewrite (nothing is counted)
   */
  public int sweep() throws StoreWriteException {
    long since = clock.getAsLong() - settings.sweepHorizon().toMillis();
    Map<ChainId, TreeMap<Long, Long>> byChain = new HashMap<>(); // seq -> first sample time
    if (log.takeOverflow() | scanStore.get()) {
      scanStore.set(true); // until a scan succeeded
      for (Unverified u : stored.unverified(since, since - LOOKBACK_MILLIS, MAX_CANDIDATES)) {
        byChain
            .computeIfAbsent(u.chain(), c -> new TreeMap<>())
            .put(u.sequence(), u.firstTsMillis());
        // and into the log, so that what cannot link yet is looked at again by later sweeps
        log.note(u.chain(), u.sequence(), u.firstTsMillis(), u.receivedAtMillis());
      }
      scanStore.set(false);
    }
    for (UnverifiedLog.Entry e : log.since(since, MAX_CANDIDATES)) {
      byChain.computeIfAbsent(e.chain(), c -> new TreeMap<>()).put(e.sequence(), e.firstTsMillis());
    }
    List<BatchWrite> rewrites = new ArrayList<>();
    List<ChainEntry> verified = new ArrayList<>();
    for (Map.Entry<ChainId, TreeMap<Long, Long>> chain : byChain.entrySet()) {
      linked(chain.getKey(), chain.getValue(), rewrites, verified);
    }
    if (!rewrites.isEmpty()) {
      store.write(rewrites);
      metrics.swept(rewrites.size());
      LOG.info("Chain sweep: {} stored batches now link to their predecessor", rewrites.size());
    }
    for (ChainEntry e : verified) {
      log.forget(
          new ChainId(e.batch().batch().agentId(), e.batch().batch().instrumentId()), e.sequence());
    }
    return rewrites.size();
  }

  /**
   * Adds to {@code out} the batches of {@code sequences} that link to their stored predecessor, and
   * to {@code verified} those and the ones already stored as verified. The reads are bounded below
   * by the first sample time of the earliest candidate less {@link #LOOKBACK_MILLIS}, or by the
   * chain's newest genesis after that: the rule's "since the newest genesis" without reading the
   * chain's whole history.
   */
  private void linked(
      ChainId chain,
      TreeMap<Long, Long> sequences,
      List<BatchWrite> out,
      List<ChainEntry> verified) {
    long window =
        sequences.values().stream().mapToLong(Long::longValue).min().orElseThrow()
            - LOOKBACK_MILLIS;
    long start = Math.max(window, stored.chainStart(chain, window));
    long from = -1;
    long to = -1;
    for (long seq : sequences.keySet()) {
      if (from >= 0 && seq - to > RUN_GAP) {
        check(chain, from, to, start, sequences, out, verified);
        from = -1;
      }
      if (from < 0) {
        from = seq;
      }
      to = seq;
    }
    check(chain, from, to, start, sequences, out, verified);
  }

  private void check(
      ChainId chain,
      long from,
      long to,
      long start,
      TreeMap<Long, Long> wanted,
      List<BatchWrite> out,
      List<ChainEntry> verified) {
    TreeMap<Long, ChainEntry> rows = new TreeMap<>();
    for (ChainEntry e : stored.range(chain, from - 1, to, start)) {
      rows.put(e.sequence(), e);
    }
    for (long seq : wanted.subMap(from, true, to, true).keySet()) {
      ChainEntry e = rows.get(seq);
      if (e == null || e.batch() == null) {
        continue; // not in the store yet (spooled), or unreadable
      }
      ChainEntry before = rows.get(seq - 1);
      if (e.chainOk()) {
        verified.add(e);
      } else if (before != null && before.hash().equals(e.previousHash())) {
        out.add(new BatchWrite(e.batch(), true, e.receivedAtMillis()));
        verified.add(e);
      }
    }
  }
}
