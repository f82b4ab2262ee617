package org.labmeter.metering.attribution;

/**
 * A maximal stretch of ACTIVE time covered by no session.
 *
 * @param startMillis inclusive
 * @param endMillis exclusive
 * @param verifiedMillis the part held by verified samples (spread evenly over each segment)
 */
public record UnbookedUse(long startMillis, long endMillis, long verifiedMillis) {
  public long durationMillis() {
    return endMillis - startMillis;
  }
}
