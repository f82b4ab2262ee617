package org.labmeter.metering.ledger;

import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.labmeter.metering.registry.Instrument;
import org.labmeter.metering.registry.Registry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps yesterday and today current: every {@code every}, recomputes both UTC days of every
 * instrument on its own named thread, skipping days that only closed periods hold. With a {@link
 * LateDataScan} it also recomputes exactly the earlier days of open periods that late batches
 * touched. A failure is logged and the next run tries again.
 */
public final class LedgerRefreshJob {
  private static final Logger log = LoggerFactory.getLogger(LedgerRefreshJob.class);

  private final Registry registry;
  private final LedgerService ledger;
  private final PeriodRepository periods;
  private final Clock clock;
  private final Duration every;
  private final AtomicBoolean stopped = new AtomicBoolean();
  private ScheduledExecutorService executor;
  private volatile LateDataScan lateData;

  public LedgerRefreshJob(Registry registry, LedgerService ledger, Clock clock, Duration every) {
    if (every.isNegative() || every.isZero()) {
      throw new IllegalArgumentException("every (" + every + ") must be positive");
    }
    this.registry = registry;
    this.ledger = ledger;
    this.periods = new PeriodRepository(registry.dataSource());
    this.clock = clock;
    this.every = every;
  }

  /**
   * Also recomputes, on each pass, exactly the earlier days that late batches touched (see {@link
   * LateDataScan}). Call before {@link #start()}.
   */
  public LedgerRefreshJob lateData(LateDataScan scan) {
    this.lateData = scan;
    return this;
  }

  public synchronized CompletableFuture<Void> start() {
    if (executor == null) {
      executor =
          Executors.newSingleThreadScheduledExecutor(
              r -> {
                Thread t = new Thread(r, "ledger-refresh");
                t.setDaemon(true);
                return t;
              });
      executor.scheduleWithFixedDelay(this::safeRun, 0, every.toMillis(), TimeUnit.MILLISECONDS);
    }
    return CompletableFuture.completedFuture(null);
  }

  /** One pass, on the caller's thread: the number of days recomputed. */
  public int runOnce() {
    return runOnceDays().size();
  }

  /**
   * One pass, on the caller's thread: yesterday and today of every instrument, then the earlier
   * days late data touched; returns the (instrument, day) pairs recomputed, in that order.
   */
  public List<InstrumentDay> runOnceDays() {
    LocalDate today = LocalDate.ofInstant(clock.instant(), LedgerService.ZONE);
    LocalDate yesterday = today.minusDays(1);
    var all = periods.all();
    List<InstrumentDay> done = new ArrayList<>();
    for (Instrument i : registry.instruments()) {
      for (LocalDate d : new LocalDate[] {yesterday, today}) {
        if (!LedgerService.frozen(all, d)) {
          ledger.recompute(i.id(), d);
          done.add(new InstrumentDay(i.id(), d));
        }
      }
    }
    LateDataScan scan = lateData;
    if (scan != null) {
      for (InstrumentDay late : scan.affectedDays(today)) {
        if (late.day().isBefore(yesterday)) {
          ledger.recompute(late.instrumentId(), late.day());
          done.add(late);
        }
      }
      scan.commit();
    }
    return done;
  }

  private void safeRun() {
    try {
      int n = runOnce();
      log.debug("ledger refresh recomputed {} instrument days", n);
    } catch (RuntimeException e) {
      log.warn("ledger refresh failed, retrying in {}", every, e);
    }
  }

  public synchronized void stop() {
    if (stopped.compareAndSet(false, true) && executor != null) {
      executor.shutdownNow();
    }
  }
}
