package org.labmeter.metering.derive;

/**
 * ACTIVE time that no verified sample backs: the samples holding it came from batches whose
 * signature or hash chain did not check out (or were never checked). Evaluators see exactly which
 * hours rest on unverified data.
 *
 * @param startMillis inclusive
 * @param endMillis exclusive
 */
public record EvidenceGap(long startMillis, long endMillis) {
  public long durationMillis() {
    return endMillis - startMillis;
  }
}
