package org.labmeter.metering.ledger;

import java.util.List;

/**
 * The summable part of a ledger row: milliseconds per state and per attribution total, and counts.
 * Totals of a period are the field-by-field sum of its days, so they always add up exactly.
 *
 * @param offMs OFF time
 * @param standbyMs STANDBY time
 * @param activeMs ACTIVE time
 * @param faultMs FAULT time
 * @param unknownMs UNKNOWN time (no or too sparse telemetry)
 * @param verifiedActiveMs ACTIVE time held by verified samples
 * @param effectiveMs effective hours (有效工作机时) in milliseconds
 * @param externalMs external service hours (对外服务机时) in milliseconds
 * @param voucherMs external time paid with a redeemed innovation voucher
 * @param verifiedEffectiveMs effective time of grade A and B sessions
 * @param maintenanceMs attributed ACTIVE time of maintenance sessions
 * @param calibrationMs attributed ACTIVE time of calibration sessions
 * @param trainingMs attributed ACTIVE time of training sessions
 * @param unbookedMs ACTIVE time covered by no session
 * @param sessions sessions touching the day (a session over midnight counts on both days)
 * @param noShows sessions with (almost) no ACTIVE time
 * @param overruns runs past a session's end beyond the tolerance
 */
public record LedgerTotals(
    long offMs,
    long standbyMs,
    long activeMs,
    long faultMs,
    long unknownMs,
    long verifiedActiveMs,
    long effectiveMs,
    long externalMs,
    long voucherMs,
    long verifiedEffectiveMs,
    long maintenanceMs,
    long calibrationMs,
    long trainingMs,
    long unbookedMs,
    long sessions,
    long noShows,
    long overruns) {

  /** Column names in the order of the components, as in tables ledger_day and snapshot_day. */
  public static final List<String> COLUMNS =
      List.of(
          "off_ms",
          "standby_ms",
          "active_ms",
          "fault_ms",
          "unknown_ms",
          "verified_active_ms",
          "effective_ms",
          "external_ms",
          "voucher_ms",
          "verified_effective_ms",
          "maintenance_ms",
          "calibration_ms",
          "training_ms",
          "unbooked_ms",
          "sessions",
          "no_shows",
          "overruns");

  public static final LedgerTotals ZERO = of(new long[COLUMNS.size()]);

  public static LedgerTotals of(long[] v) {
    return new LedgerTotals(
        v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10], v[11], v[12], v[13],
        v[14], v[15], v[16]);
  }

  public long[] toArray() {
    return new long[] {
      offMs,
      standbyMs,
      activeMs,
      faultMs,
      unknownMs,
      verifiedActiveMs,
      effectiveMs,
      externalMs,
      voucherMs,
      verifiedEffectiveMs,
      maintenanceMs,
      calibrationMs,
      trainingMs,
      unbookedMs,
      sessions,
      noShows,
      overruns
    };
  }

  /** Field-by-field sum. */
  public LedgerTotals plus(LedgerTotals o) {
    long[] a = toArray();
    long[] b = o.toArray();
    for (int i = 0; i < a.length; i++) {
      a[i] += b[i];
    }
    return of(a);
  }

  /** Clock time covered by the five states; a full UTC day is 86,400,000. */
  public long stateMillis() {
    return offMs + standbyMs + activeMs + faultMs + unknownMs;
  }

  /** Verified over all ACTIVE time; 0 when there was none. */
  public double coverage() {
    return activeMs == 0 ? 0.0 : (double) verifiedActiveMs / activeMs;
  }
}
