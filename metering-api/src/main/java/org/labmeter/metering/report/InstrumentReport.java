package org.labmeter.metering.report;

import org.labmeter.metering.ledger.LedgerTotals;

/**
 * One instrument's indicators for a period, read from the ledger (open period) or the newest
 * snapshot (closed period).
 *
 * @param snapshotVersion the snapshot read, 0 when read from the live ledger
 * @param ledgerDays days of the period present in the rows read
 * @param periodDays days of the period
 * @param quotaHours the pro-rated quota {@link ReportService#quotaHours} for the period
 */
public record InstrumentReport(
    String instrumentId,
    String name,
    String nameZh,
    String facilityId,
    String periodId,
    int snapshotVersion,
    long ledgerDays,
    long periodDays,
    LedgerTotals totals,
    double quotaHours) {

  public double effectiveHours() {
    return totals.effectiveMs() / 3_600_000.0;
  }

  public double externalHours() {
    return totals.externalMs() / 3_600_000.0;
  }

  /** 共享率: external ÷ effective; 0 without effective hours. */
  public double sharingRate() {
    return totals.effectiveMs() == 0 ? 0.0 : (double) totals.externalMs() / totals.effectiveMs();
  }

  /** 利用率: effective hours ÷ the pro-rated quota. */
  public double utilisation() {
    return quotaHours == 0 ? 0.0 : effectiveHours() / quotaHours;
  }

  /** Evidence coverage: verified ÷ all ACTIVE time. */
  public double coverage() {
    return totals.coverage();
  }
}
