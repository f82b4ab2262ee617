package org.labmeter.metering.evidence;

/**
 * What the verifier found for one bundled batch.
 *
 * @param index position in the bundle's batch list
 * @param agentId the agent the envelope names (or the bundle's label when it did not decode)
 * @param sequence the envelope's sequence (or the bundle's label when it did not decode)
 * @param firstTimestampMillis the envelope's first sample time (bundle label when undecodable)
 * @param lastTimestampMillis the envelope's last sample time (bundle label when undecodable)
 * @param samplesInRange how many of its samples fall in the range the derivation reads; a batch
 *     with none is bundled only to confirm the next batch's link
 * @param decoded whether the envelope decodes as a v1 batch of this instrument
 * @param signatureValid whether the signature verifies with the bundled key of its agent
 * @param linkConfirmed sequence 0 with a zero previous hash, or the previous hash equals the hash
 *     of a bundled, validly signed batch with sequence - 1 of the same chain
 * @param storedVerified what the server stored as this batch's verified flag
 * @param problem why the batch is not verified, or null
 */
public record BatchCheck(
    int index,
    String agentId,
    long sequence,
    long firstTimestampMillis,
    long lastTimestampMillis,
    int samplesInRange,
    boolean decoded,
    boolean signatureValid,
    boolean linkConfirmed,
    boolean storedVerified,
    String problem) {

  /** Whether its samples count as verified: signature valid and chain link confirmed. */
  public boolean verified() {
    return decoded && signatureValid && linkConfirmed;
  }

  /** "agent/#seq", how reports name a batch. */
  public String label() {
    return agentId + " #" + sequence;
  }
}
