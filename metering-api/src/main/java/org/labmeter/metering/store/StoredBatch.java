package org.labmeter.metering.store;

import java.util.Objects;

/**
 * One row of {@code lm_batches}: a batch as the collector accepted it. The envelope stays in the
 * base64 text it is stored as, so the exact signed bytes travel unchanged into an evidence bundle.
 *
 * @param agentId the sending agent
 * @param sequence its position in the (agent, instrument) chain
 * @param firstTimestampMillis device time of its first sample
 * @param lastTimestampMillis device time of its last sample
 * @param hashHex SHA-256 of the envelope, as the collector computed it
 * @param chainOk what the collector recorded as its samples' {@code verified} flag
 * @param receivedAtMillis when the collector accepted it
 * @param envelopeBase64 the exact envelope, base64
 */
public record StoredBatch(
    String agentId,
    long sequence,
    long firstTimestampMillis,
    long lastTimestampMillis,
    String hashHex,
    boolean chainOk,
    long receivedAtMillis,
    String envelopeBase64) {
  public StoredBatch {
    Objects.requireNonNull(agentId, "agentId");
    Objects.requireNonNull(envelopeBase64, "envelopeBase64");
  }
}
