package org.labmeter.metering.report;

import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.labmeter.metering.ledger.EvaluationPeriod;
import org.labmeter.metering.ledger.LedgerDay;
import org.labmeter.metering.ledger.LedgerRepository;
import org.labmeter.metering.ledger.LedgerTotals;
import org.labmeter.metering.ledger.PeriodRepository;
import org.labmeter.metering.ledger.PeriodSum;
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
  private final QuotaRepository quotas;
  private final double fixedQuotaHoursPerYear;

  /** Reports with each instrument's quota from the stored {@link QuotaPolicy}. */
  public ReportService(Registry registry) {
    this(registry, 0, true);
  }

  /** Reports with one fixed quota for every instrument, whatever the stored policy says. */
  public ReportService(Registry registry, double quotaHoursPerYear) {
    this(registry, quotaHoursPerYear, false);
    if (!(quotaHoursPerYear > 0)) {
      throw new IllegalArgumentException(
          "quotaHoursPerYear (" + quotaHoursPerYear + ") must be positive");
    }
  }

  private ReportService(Registry registry, double fixedQuota, boolean stored) {
    this.registry = registry;
    this.ledger = new LedgerRepository(registry.dataSource());
    this.periods = new PeriodRepository(registry.dataSource());
    this.quotas = stored ? new QuotaRepository(registry.dataSource()) : null;
    this.fixedQuotaHoursPerYear = fixedQuota;
  }

  /** The quota policy reports use now: the stored one, or the fixed quota for everyone. */
  public QuotaPolicy quotaPolicy() {
    if (quotas != null) {
      return quotas.load();
    }
    return new QuotaPolicy(Map.of(QuotaPolicy.DEFAULT_CATEGORY, fixedQuotaHoursPerYear), Map.of());
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
    LedgerTotals t = LedgerTotals.ZERO;
    for (LedgerDay d : rows) {
      t = t.plus(d.totals());
    }
    return report(
        i,
        p,
        snap.map(Snapshot::version).orElse(0),
        new PeriodSum(rows.size(), t),
        quotaPolicy().hoursPerYear(i.id()));
  }

  /**
   * The reports of every instrument of the facility, by instrument id. The database sums each
   * instrument's days (one query), so the cost grows with instruments, not with instrument-days.
   */
  public List<InstrumentReport> facility(String facilityId, EvaluationPeriod p) {
    int version = latestVersion(p);
    Map<String, PeriodSum> sums = ledger.sums(facilityId, p.from(), p.to(), p.id(), version);
    QuotaPolicy quota = quotaPolicy();
    List<InstrumentReport> out = new ArrayList<>();
    for (Instrument i : registry.instruments()) {
      if (!i.facilityId().equals(facilityId)) {
        continue;
      }
      PeriodSum sum = sums.getOrDefault(i.id(), PeriodSum.NONE);
      out.add(report(i, p, version, sum, quota.hoursPerYear(i.id())));
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

  /** The newest snapshot version of a closed period; 0 (the live ledger) for an open one. */
  private int latestVersion(EvaluationPeriod p) {
    if (p.status() != EvaluationPeriod.Status.CLOSED) {
      return 0;
    }
    List<Snapshot> heads = periods.snapshotHeaders(p.id());
    return heads.isEmpty() ? 0 : heads.get(heads.size() - 1).version();
  }

  private Optional<Snapshot> snapshotOf(EvaluationPeriod p) {
    return p.status() == EvaluationPeriod.Status.CLOSED
        ? periods.latestSnapshot(p.id())
        : Optional.empty();
  }

  private static InstrumentReport report(
      Instrument i, EvaluationPeriod p, int version, PeriodSum sum, double quotaPerYear) {
    return new InstrumentReport(
        i.id(),
        i.name(),
        i.nameZh(),
        i.facilityId(),
        p.id(),
        version,
        sum.days(),
        p.days(),
        sum.totals(),
        quotaHours(p, quotaPerYear));
  }
}
