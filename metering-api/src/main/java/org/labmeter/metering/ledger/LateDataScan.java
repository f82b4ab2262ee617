package org.labmeter.metering.ledger;

import java.time.Clock;
import java.time.LocalDate;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.labmeter.metering.registry.Registry;
import org.labmeter.metering.store.ReceivedBatch;
import org.labmeter.metering.store.ReceivedBatches;
import org.labmeter.metering.usage.UsageService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the ledger days that late data changed: the batches the collector received since the last
 * scan whose samples fall on days before today (an agent back after days offline, a spool
 * replayed). Each such batch touches the UTC days of its samples, widened by the instrument's
 * context margin, because a dwell time or gap can reach over midnight. Days that only closed
 * periods hold are left alone (they change only by a correction).
 *
 * <p>The scan reads {@code lm_batches} by {@code received_at} from a watermark kept in table {@code
 * ledger_watermark}, re-reading an {@link #OVERLAP} before it, since a batch becomes visible in the
 * store a little after it was received. Batches already handled within the overlap are skipped, so
 * each batch is counted once. Not thread-safe: the refresh job's thread owns it.
 */
public final class LateDataScan {
  private static final Logger log = LoggerFactory.getLogger(LateDataScan.class);

  /** The watermark's name in {@code ledger_watermark}. */
  static final String WATERMARK = "late-data";

  /** How far before the watermark each scan re-reads, for batches that became visible late. */
  public static final long OVERLAP_MILLIS = 10 * 60_000L;

  private final Registry registry;
  private final UsageService usage;
  private final ReceivedBatches batches;
  private final PeriodRepository periods;
  private final WatermarkRepository watermarks;
  private final Clock clock;
  private Set<String> handled = new HashSet<>();
  private Set<String> pendingHandled;
  private long pendingMark = -1;

  public LateDataScan(Registry registry, UsageService usage, ReceivedBatches batches, Clock clock) {
    this.registry = registry;
    this.usage = usage;
    this.batches = batches;
    this.periods = new PeriodRepository(registry.dataSource());
    this.watermarks = new WatermarkRepository(registry.dataSource());
    this.clock = clock;
  }

  /**
   * The (instrument, day) pairs before {@code today} that batches received since the last scan
   * touch. Call {@link #commit()} once they are recomputed, so a pass that fails is scanned again.
   * The first scan ever starts from now: what was stored before the ledger existed is filled by the
   * ledger's own recomputation.
   */
  public Set<InstrumentDay> affectedDays(LocalDate today) {
    long now = clock.millis();
    long mark = watermarks.get(WATERMARK).orElse(-1);
    if (mark < 0) {
      watermarks.set(WATERMARK, now, clock.instant());
      return Set.of();
    }
    long oldest = LedgerService.startMillis(today.minusDays(LedgerService.MAX_DAYS));
    List<ReceivedBatch> received = batches.receivedAfter(mark - OVERLAP_MILLIS, oldest);
    List<EvaluationPeriod> all = periods.all();
    Map<String, Long> margins = new TreeMap<>();
    Set<InstrumentDay> out = new TreeSet<>();
    Set<String> seen = new HashSet<>();
    long newest = mark;
    for (ReceivedBatch b : received) {
      seen.add(b.key());
      newest = Math.max(newest, b.receivedAtMillis());
      if (handled.contains(b.key())) {
        continue;
      }
      Long margin = margins.computeIfAbsent(b.instrumentId(), this::margin);
      if (margin < 0) {
        log.warn(
            "late-data scan: batch {} names instrument {}, which is not registered; skipped",
            b.key(),
            b.instrumentId());
        continue;
      }
      LocalDate from = LedgerService.dayOf(b.firstTimestampMillis() - margin);
      LocalDate to = LedgerService.dayOf(b.lastTimestampMillis() + margin);
      for (LocalDate d = from; !d.isAfter(to) && d.isBefore(today); d = d.plusDays(1)) {
        if (!LedgerService.frozen(all, d)) {
          out.add(new InstrumentDay(b.instrumentId(), d));
        }
      }
    }
    // remember what lies inside the next scan's overlap, forget the rest
    long keepFrom = newest - OVERLAP_MILLIS;
    pendingHandled = new HashSet<>();
    for (ReceivedBatch b : received) {
      if (b.receivedAtMillis() > keepFrom) {
        pendingHandled.add(b.key());
      }
    }
    pendingMark = newest > mark ? newest : -1;
    if (!out.isEmpty()) {
      log.info(
          "late-data scan: {} batches received since the last scan touch {} ledger days",
          seen.size(),
          out.size());
    }
    return out;
  }

  /** Records that the days of the last {@link #affectedDays} were recomputed. */
  public void commit() {
    if (pendingHandled != null) {
      handled = pendingHandled;
      pendingHandled = null;
    }
    if (pendingMark >= 0) {
      watermarks.set(WATERMARK, pendingMark, clock.instant());
      pendingMark = -1;
    }
  }

  /** The instrument's context margin, or -1 when it is not registered. */
  private long margin(String instrumentId) {
    if (registry.instrument(instrumentId).isEmpty()) {
      return -1;
    }
    return usage.schedule(instrumentId).map(UsageService::contextMarginMillis).orElse(-1L);
  }
}
