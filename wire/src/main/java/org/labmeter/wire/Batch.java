package org.labmeter.wire;

import java.util.List;
import java.util.Objects;

/**
 * The content of one telemetry batch before signing: who sent it, where it sits in the agent's hash
 * chain for this instrument, and the samples. {@link BatchCodec} turns it into the exact bytes that
 * are signed and sent.
 *
 * @param agentId the sending agent, {@link Ids#requireValid valid id}
 * @param instrumentId the instrument all samples belong to
 * @param epoch the agent's boot counter when the batch was made
 * @param sequence position in this agent's chain for this instrument, from 0
 * @param previousHash hash of the batch with sequence - 1, or {@link BatchHash#ZERO} for sequence 0
 * @param createdAtMillis the agent's clock when the batch was closed
 * @param clockOffsetMillis the agent's measured NTP offset, or {@link #CLOCK_OFFSET_UNKNOWN}
 * @param samples 1 to {@link BatchCodec#MAX_SAMPLES} samples in device-time order
 */
public record Batch(
    String agentId,
    String instrumentId,
    long epoch,
    long sequence,
    BatchHash previousHash,
    long createdAtMillis,
    int clockOffsetMillis,
    List<Sample> samples) {

  public static final int CLOCK_OFFSET_UNKNOWN = Integer.MIN_VALUE;

  public Batch {
    Ids.requireValid("agentId", agentId);
    Ids.requireValid("instrumentId", instrumentId);
    if (epoch < 0 || epoch > 0xFFFF_FFFFL) {
      throw new IllegalArgumentException("epoch must be in 0..4294967295, got " + epoch);
    }
    if (sequence < 0) {
      throw new IllegalArgumentException("sequence must be >= 0, got " + sequence);
    }
    Objects.requireNonNull(previousHash, "previousHash");
    samples = List.copyOf(samples);
    if (samples.isEmpty() || samples.size() > BatchCodec.MAX_SAMPLES) {
      throw new IllegalArgumentException(
          "a batch holds 1.." + BatchCodec.MAX_SAMPLES + " samples, got " + samples.size());
    }
  }

  public long firstTimestampMillis() {
    return samples.get(0).timestampMillis();
  }

  public long lastTimestampMillis() {
    return samples.get(samples.size() - 1).timestampMillis();
  }
}
