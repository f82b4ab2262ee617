package org.labmeter.metering.derive;

/**
 * One run of the instrument: a maximal stretch of ACTIVE time, clipped to the window. The flags say
 * whether the run goes on beyond the window, so that a daily ledger does not count one overnight
 * run as two starts.
 *
 * @param startMillis inclusive, not before the window's start
 * @param endMillis exclusive, not after the window's end
 * @param activeMillis ACTIVE time of the clipped session (its whole length)
 * @param verifiedActiveMillis the part held by samples from verified batches
 * @param startsBeforeWindow the run was already ACTIVE before the window's start
 * @param endsAfterWindow the run is still ACTIVE at the window's end: it continues after it, or it
 *     reaches the live edge of the data
 */
public record RunSession(
    long startMillis,
    long endMillis,
    long activeMillis,
    long verifiedActiveMillis,
    boolean startsBeforeWindow,
    boolean endsAfterWindow) {

  /** The share of this session's ACTIVE time backed by verified samples (0..1). */
  public double coverage() {
    return activeMillis == 0 ? 1.0 : (double) verifiedActiveMillis / activeMillis;
  }
}
