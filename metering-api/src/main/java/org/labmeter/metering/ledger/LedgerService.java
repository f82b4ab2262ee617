package org.labmeter.metering.ledger;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.labmeter.metering.attribution.AttributionEngine;
import org.labmeter.metering.attribution.AttributionPolicy;
import org.labmeter.metering.attribution.AttributionResult;
import org.labmeter.metering.attribution.SessionAttribution;
import org.labmeter.metering.attribution.UsageSession;
import org.labmeter.metering.derive.StateDurations;
import org.labmeter.metering.derive.Usage;
import org.labmeter.metering.registry.Instrument;
import org.labmeter.metering.registry.Registry;
import org.labmeter.metering.sessions.SessionRepository;
import org.labmeter.metering.sessions.StoredSession;
import org.labmeter.metering.usage.InstrumentUsage;
import org.labmeter.metering.usage.UsageService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fills the daily ledger from the same engines the API uses: {@link UsageService} derives a UTC
 * day's states, {@link AttributionEngine} attributes them to the day's stored sessions, and the
 * result is stored as it came out. The ledger never derives anything itself. Every method blocks on
 * JDBC and the sample store; call it from a worker.
 */
public final class LedgerService {
  private static final Logger log = LoggerFactory.getLogger(LedgerService.class);

  /** Ledger days are UTC calendar days. */
  public static final ZoneOffset ZONE = ZoneOffset.UTC;

  /** Longest range one call recomputes: about two evaluation windows. */
  public static final int MAX_DAYS = 800;

  private final Registry registry;
  private final UsageService usage;
  private final SessionRepository sessions;
  private final LedgerRepository ledger;
  private final PeriodRepository periods;
  private final AttributionPolicy policy;
  private final Clock clock;

  public LedgerService(
      Registry registry, UsageService usage, AttributionPolicy policy, Clock clock) {
    this.registry = registry;
    this.usage = usage;
    this.sessions = new SessionRepository(registry.dataSource());
    this.ledger = new LedgerRepository(registry.dataSource());
    this.periods = new PeriodRepository(registry.dataSource());
    this.policy = Objects.requireNonNull(policy, "policy");
    this.clock = clock;
  }

  public LedgerRepository repository() {
    return ledger;
  }

  /** The UTC day an instant falls on. */
  public static LocalDate dayOf(long epochMillis) {
    return Instant.ofEpochMilli(epochMillis).atZone(ZONE).toLocalDate();
  }

  static long startMillis(LocalDate day) {
    return day.atStartOfDay(ZONE).toInstant().toEpochMilli();
  }

  /**
   * Derives, attributes and stores one day of one instrument, replacing what was stored.
   *
   * @throws IllegalArgumentException when the instrument is not registered
   */
  public LedgerDay recompute(String instrumentId, LocalDate day) {
    Instrument instrument =
        registry
            .instrument(instrumentId)
            .orElseThrow(
                () -> new IllegalArgumentException("no instrument with id '" + instrumentId + "'"));
    Instant from = Instant.ofEpochMilli(startMillis(day));
    Instant to = Instant.ofEpochMilli(startMillis(day.plusDays(1)));
    InstrumentUsage derived = usage.usage(instrumentId, from, to).orElseThrow();
    List<UsageSession> inDay =
        sessions.inWindow(instrumentId, from.toEpochMilli(), to.toEpochMilli()).stream()
            .map(StoredSession::session)
            .toList();
    Usage u = derived.usage();
    AttributionResult r = AttributionEngine.attribute(u, instrument.facilityId(), inDay, policy);
    StateDurations d = u.durations();
    LedgerTotals totals =
        new LedgerTotals(
            d.offMillis(),
            d.standbyMillis(),
            d.activeMillis(),
            d.faultMillis(),
            d.unknownMillis(),
            u.verifiedActiveMillis(),
            r.effective().millis(),
            r.external().millis(),
            r.voucher().millis(),
            r.verifiedEffective().millis(),
            r.maintenance().millis(),
            r.calibration().millis(),
            r.training().millis(),
            r.unbookedActive().millis(),
            r.sessions().size(),
            r.noShows().size(),
            r.overruns().size());
    LedgerDay row =
        new LedgerDay(
            instrumentId,
            day,
            totals,
            u.algorithmVersion(),
            r.algorithmVersion(),
            u.parameterHash(),
            clock.instant());
    List<LedgerSession> rows = new ArrayList<>(r.sessions().size());
    for (SessionAttribution s : r.sessions()) {
      rows.add(
          new LedgerSession(
              instrumentId,
              day,
              s.sessionId(),
              s.attributedActive().millis(),
              s.effective().millis(),
              s.external().millis(),
              s.voucher().millis(),
              s.grade(),
              s.noShow(),
              s.overrunMillis()));
    }
    ledger.replaceDay(row, rows);
    log.debug("ledger day {} of instrument {} recomputed", day, instrumentId);
    return row;
  }

  /** Recomputes [from, to], both inclusive, oldest first. */
  public List<LedgerDay> recomputeRange(String instrumentId, LocalDate from, LocalDate to) {
    requireRange(from, to);
    List<LedgerDay> out = new ArrayList<>();
    for (LocalDate d = from; !d.isAfter(to); d = d.plusDays(1)) {
      out.add(recompute(instrumentId, d));
    }
    return out;
  }

  /**
   * Called when samples with timestamps in [minTs, maxTs] were stored late. Recomputes the days
   * those samples can change (their own days, widened by the profile's context margin, since a
   * dwell time or gap can reach over midnight) unless a day lies only in CLOSED periods: a closed
   * period is frozen in its snapshot and is changed only by an explicit correction. Days in no
   * period are recomputed.
   *
   * @return the days recomputed, oldest first
   */
  public List<LocalDate> onLateSamples(String instrumentId, long minTs, long maxTs) {
    if (maxTs < minTs) {
      throw new IllegalArgumentException(
          "maxTs (" + maxTs + ") must not be before minTs (" + minTs + ")");
    }
    long margin =
        usage
            .schedule(instrumentId)
            .map(UsageService::contextMarginMillis)
            .orElseThrow(
                () -> new IllegalArgumentException("no instrument with id '" + instrumentId + "'"));
    LocalDate from = dayOf(minTs - margin);
    LocalDate to = dayOf(maxTs + margin);
    requireRange(from, to);
    List<EvaluationPeriod> all = periods.all();
    List<LocalDate> done = new ArrayList<>();
    for (LocalDate d = from; !d.isAfter(to); d = d.plusDays(1)) {
      if (frozen(all, d)) {
        continue;
      }
      recompute(instrumentId, d);
      done.add(d);
    }
    log.info(
        "late samples of instrument {} ({} .. {}): recomputed {} ledger days",
        instrumentId,
        Instant.ofEpochMilli(minTs),
        Instant.ofEpochMilli(maxTs),
        done.size());
    return done;
  }

  /** A day is frozen when some CLOSED period holds it and no OPEN period does. */
  static boolean frozen(List<EvaluationPeriod> periods, LocalDate day) {
    boolean closed = false;
    for (EvaluationPeriod p : periods) {
      if (p.contains(day)) {
        if (p.status() == EvaluationPeriod.Status.OPEN) {
          return false;
        }
        closed = true;
      }
    }
    return closed;
  }

  private static void requireRange(LocalDate from, LocalDate to) {
    if (to.isBefore(from)) {
      throw new IllegalArgumentException("to (" + to + ") must not be before from (" + from + ")");
    }
    if (from.plusDays(MAX_DAYS).isBefore(to)) {
      throw new IllegalArgumentException(
          "a ledger range may span at most " + MAX_DAYS + " days, got " + from + " .. " + to);
    }
  }
}
