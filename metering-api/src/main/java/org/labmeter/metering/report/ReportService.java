package org.labmeter.metering.report;

import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.labmeter.metering.ledger.EvaluationPeriod;
import org.labmeter.metering.ledger.LedgerDay;
import org.labmeter.metering.ledger.LedgerRepository;
import org.labmeter.metering.ledger.LedgerTotals;
import org.labmeter.metering.ledger.PeriodRepository;
import org.labmeter.metering.ledger.Snapshot;
import org.labmeter.metering.registry.Instrument;
import org.labmeter.metering.registry.Registry;

/**
 * Reports read stored numbers only: a CLOSED period's newest snapshot, or an OPEN period's ledger
 * rows. Nothing here derives or attributes; a day missing from the ledger counts as zero and shows
 * in {@link InstrumentReport#ledgerDays()}. Blocks on JDBC.
 */
public final class ReportService {
  /** The quota national survey tools use: 1,600 h per year. */
  public static final double DEFAULT_QUOTA_HOURS_PER_YEAR = 1600.0;

  private final Registry registry;
  private final LedgerRepository ledger;
  private final PeriodRepository periods;
  private final double quotaHoursPerYear;

  public ReportService(Registry registry, double quotaHoursPerYear) {
    if (!(quotaHoursPerYear > 0)) {
      throw new IllegalArgumentException(
          "quotaHoursPerYear (" + quotaHoursPerYear + ") must be positive");
    }
    this.registry = registry;
    this.ledger = new LedgerRepository(registry.dataSource());
    this.periods = new PeriodRepository(registry.dataSource());
    this.quotaHoursPerYear = quotaHoursPerYear;
  }

  /**
   * The quota for a period: one full quota per whole year from {@code from} (so a calendar year, a
   * 1 July – 30 June window and a two-year window get exactly 1× and 2×), and for the remaining
   * days the share of the following year's length they cover.
   */
  public static double quotaHours(EvaluationPeriod p, double perYear) {
    LocalDate end = p.to().plusDays(1);
    long years = 0;
    while (!p.from().plusYears(years + 1).isAfter(end)) {
      years++;
    }
    LocalDate rest = p.from().plusYears(years);
    long restDays = ChronoUnit.DAYS.between(rest, end);
    long yearDays = ChronoUnit.DAYS.between(rest, rest.plusYears(1));
    return perYear * years + perYear * restDays / yearDays;
  }

  public Optional<EvaluationPeriod> period(String id) {
    return periods.find(id);
  }

  public InstrumentReport instrument(Instrument i, EvaluationPeriod p) {
    Optional<Snapshot> snap = snapshotOf(p);
    List<LedgerDay> rows =
        snap.map(s -> s.rowsOf(i.id())).orElseGet(() -> ledger.days(i.id(), p.from(), p.to()));
    return report(i, p, snap.map(Snapshot::version).orElse(0), rows);
  }

  /** The reports of every instrument of the facility, by instrument id. */
  public List<InstrumentReport> facility(String facilityId, EvaluationPeriod p) {
    Optional<Snapshot> snap = snapshotOf(p);
    List<InstrumentReport> out = new ArrayList<>();
    for (Instrument i : registry.instruments()) {
      if (!i.facilityId().equals(facilityId)) {
        continue;
      }
      List<LedgerDay> rows =
          snap.map(s -> s.rowsOf(i.id())).orElseGet(() -> ledger.days(i.id(), p.from(), p.to()));
      out.add(report(i, p, snap.map(Snapshot::version).orElse(0), rows));
    }
    return out;
  }

  /** A facility line: the instruments' totals summed, named after the facility. */
  public InstrumentReport facilityTotal(
      String facilityId, EvaluationPeriod p, List<InstrumentReport> rows) {
    LedgerTotals t = LedgerTotals.ZERO;
    long days = 0;
    double quota = 0;
    int version = 0;
    for (InstrumentReport r : rows) {
      t = t.plus(r.totals());
      days += r.ledgerDays();
      quota += r.quotaHours();
      version = r.snapshotVersion();
    }
    return new InstrumentReport(
        "", "TOTAL", "合计", facilityId, p.id(), version, days, p.days() * rows.size(), t, quota);
  }

  private Optional<Snapshot> snapshotOf(EvaluationPeriod p) {
    return p.status() == EvaluationPeriod.Status.CLOSED
        ? periods.latestSnapshot(p.id())
        : Optional.empty();
  }

  private InstrumentReport report(
      Instrument i, EvaluationPeriod p, int version, List<LedgerDay> rows) {
    LedgerTotals t = LedgerTotals.ZERO;
    for (LedgerDay d : rows) {
      t = t.plus(d.totals());
    }
    return new InstrumentReport(
        i.id(),
        i.name(),
        i.nameZh(),
        i.facilityId(),
        p.id(),
        version,
        rows.size(),
        p.days(),
        t,
        quotaHours(p, quotaHoursPerYear));
  }
}
