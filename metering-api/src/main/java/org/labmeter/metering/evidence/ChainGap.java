package org.labmeter.metering.evidence;

/**
 * Batches missing from a chain: sequences {@code firstMissing..lastMissing} of the agent's chain
 * are not in the bundle although a later batch links back over them.
 *
 * @param afterMillis last sample time of the batch before the gap, or -1 when there is none
 * @param beforeMillis first sample time of the batch after the gap
 */
public record ChainGap(
    String agentId, long firstMissing, long lastMissing, long afterMillis, long beforeMillis) {

  public String sequences() {
    return firstMissing == lastMissing
        ? "sequence " + firstMissing
        : "sequences " + firstMissing + ".." + lastMissing;
  }
}
