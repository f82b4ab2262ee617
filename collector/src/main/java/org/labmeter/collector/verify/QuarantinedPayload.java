package org.labmeter.collector.verify;

import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;

/** A refused payload kept with the reason, so an operator can see what an agent really sent. */
public record QuarantinedPayload(
    String agentId,
    String topic,
    RejectReason reason,
    String detail,
    Instant receivedAt,
    byte[] payload) {

  public QuarantinedPayload {
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(receivedAt, "receivedAt");
    payload = payload.clone();
  }

  /** A copy of the exact bytes received. */
  @Override
  public byte[] payload() {
    return payload.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof QuarantinedPayload other
        && Objects.equals(agentId, other.agentId)
        && Objects.equals(topic, other.topic)
        && reason == other.reason
        && Objects.equals(detail, other.detail)
        && receivedAt.equals(other.receivedAt)
        && Arrays.equals(payload, other.payload);
  }

  @Override
  public int hashCode() {
    return Objects.hash(agentId, topic, reason, detail, receivedAt) * 31 + Arrays.hashCode(payload);
  }

  @Override
  public String toString() {
    return "QuarantinedPayload[agent="
        + agentId
        + ", topic="
        + topic
        + ", reason="
        + reason
        + ", detail="
        + detail
        + ", receivedAt="
        + receivedAt
        + ", bytes="
        + payload.length
        + "]";
  }
}
