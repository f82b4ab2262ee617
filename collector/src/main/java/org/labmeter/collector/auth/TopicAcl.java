package org.labmeter.collector.auth;

import java.util.Optional;
import org.labmeter.wire.Topics;

/**
 * Which topics an agent may publish to: its own telemetry topic for each instrument bound to it,
 * and its own status topic. A compromised or misconfigured agent must not be able to write samples
 * for another agent's instrument, even with a valid signature of its own.
 */
public final class TopicAcl {
  private TopicAcl() {}

  public static PublishTarget classify(AgentRecord agent, String topic) {
    if (topic == null || topic.isEmpty()) {
      return new PublishTarget.Denied("empty topic");
    }
    if (topic.indexOf('+') >= 0 || topic.indexOf('#') >= 0) {
      return new PublishTarget.Denied("wildcard in a publish topic");
    }
    if (topic.equals(Topics.status(agent.agentId()))) {
      return new PublishTarget.Status();
    }
    Optional<Topics.TelemetryTopic> telemetry = Topics.parseTelemetry(topic);
    if (telemetry.isEmpty()) {
      return Topics.parseStatus(topic).isPresent()
          ? new PublishTarget.Denied("status topic of another agent")
          : new PublishTarget.Denied("not a LabMeter topic");
    }
    if (!telemetry.get().agentId().equals(agent.agentId())) {
      return new PublishTarget.Denied("telemetry topic of another agent");
    }
    if (!agent.instrumentIds().contains(telemetry.get().instrumentId())) {
      return new PublishTarget.Denied("instrument not bound to this agent");
    }
    return new PublishTarget.Telemetry(telemetry.get().instrumentId());
  }
}
