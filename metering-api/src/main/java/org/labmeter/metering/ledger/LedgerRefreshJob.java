package org.labmeter.metering.ledger;

import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
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
 * instrument on its own named thread, skipping days that only closed periods hold. A failure is
 * logged and the next run tries again.
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
    LocalDate today = LocalDate.ofInstant(clock.instant(), LedgerService.ZONE);
    var all = periods.all();
    int n = 0;
    for (Instrument i : registry.instruments()) {
      for (LocalDate d : new LocalDate[] {today.minusDays(1), today}) {
        if (!LedgerService.frozen(all, d)) {
          ledger.recompute(i.id(), d);
          n++;
        }
      }
    }
    return n;
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
