package org.labmeter.collector.ingest;

import java.util.Arrays;
import java.util.Objects;
import org.labmeter.collector.auth.AgentRecord;

/**
 * One authorised telemetry PUBLISH handed to a {@link PublishSink}.
 *
 * @param instrumentId the instrument of the topic, already bound to the agent
 * @param payload the exact payload bytes (not copied; the caller hands them over)
 * @param receivedAtMillis when the PUBLISH arrived
 */
public record TelemetryPublish(
    AgentRecord agent, String instrumentId, String topic, byte[] payload, long receivedAtMillis) {

  public TelemetryPublish {
    Objects.requireNonNull(agent, "agent");
    Objects.requireNonNull(instrumentId, "instrumentId");
    Objects.requireNonNull(topic, "topic");
    Objects.requireNonNull(payload, "payload");
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TelemetryPublish other
        && agent.equals(other.agent)
        && instrumentId.equals(other.instrumentId)
        && topic.equals(other.topic)
        && Arrays.equals(payload, other.payload)
        && receivedAtMillis == other.receivedAtMillis;
  }

  @Override
  public int hashCode() {
    return Objects.hash(agent, instrumentId, topic, receivedAtMillis) * 31
        + Arrays.hashCode(payload);
  }

  @Override
  public String toString() {
    return "TelemetryPublish[agent="
        + agent.agentId()
        + ", instrument="
        + instrumentId
        + ", topic="
        + topic
        + ", bytes="
        + payload.length
        + ", receivedAt="
        + receivedAtMillis
        + "]";
  }
}
