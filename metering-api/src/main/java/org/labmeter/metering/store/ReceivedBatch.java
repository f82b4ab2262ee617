package org.labmeter.metering.store;

/**
 * What the late-data scan needs of one stored batch: whose samples, which time span, and when the
 * collector received it.
 *
 * @param firstTimestampMillis the batch's first sample
 * @param lastTimestampMillis the batch's last sample
 * @param receivedAtMillis when the collector received the batch
 */
public record ReceivedBatch(
    String instrumentId,
    String agentId,
    long sequence,
    long firstTimestampMillis,
    long lastTimestampMillis,
    long receivedAtMillis) {

  /** Identifies the stored batch (a retried write of the same batch has the same key). */
  public String key() {
    return instrumentId + '/' + agentId + '/' + sequence + '/' + receivedAtMillis;
  }
}
