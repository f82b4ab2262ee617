package org.labmeter.collector.mqtt;

import io.netty.handler.codec.mqtt.MqttQoS;
import org.labmeter.collector.auth.AgentRecord;
import org.labmeter.collector.auth.PublishTarget;
import org.labmeter.collector.auth.TopicAcl;

/**
 * Whether one connection's PUBLISH goes on to the agent's worker. Holds the connection's count of
 * QoS 1 publishes not yet answered (MQTT 5's Receive Maximum). Used on the channel's event loop
 * only.
 */
final class PublishAdmission {
  sealed interface Decision {}

  /** On to the worker. */
  record Admit(PublishTarget target) implements Decision {}

  /** MQTT 5 QoS 1 only: answered at once with a PUBACK error code; the connection stays. */
  record Refuse(byte reasonCode, String reasonString, String tag) implements Decision {}

  /** The connection closes (MQTT 5: after a DISCONNECT with the reason's code). */
  record Close(CloseReason reason, String why) implements Decision {}

  private final AgentRecord agent;
  private final boolean mqtt5;
  private final int receiveMaximum;
  private int inFlight;

  PublishAdmission(AgentRecord agent, boolean mqtt5, int receiveMaximum) {
    this.agent = agent;
    this.mqtt5 = mqtt5;
    this.receiveMaximum = receiveMaximum;
  }

  AgentRecord agent() {
    return agent;
  }

  Decision admit(InboundPublish publish) {
    if (publish.qos() == MqttQoS.EXACTLY_ONCE) {
      return new Close(
          CloseReason.QOS2,
          "QoS 2 PUBLISH to " + publish.topic() + " (only QoS 0 and 1 are served)");
    }
    if (mqtt5 && publish.qos() == MqttQoS.AT_LEAST_ONCE && inFlight >= receiveMaximum) {
      return new Close(
          CloseReason.RECEIVE_MAXIMUM,
          "more than " + receiveMaximum + " QoS 1 publishes unacknowledged (receive maximum)");
    }
    PublishTarget target = TopicAcl.classify(agent, publish.topic());
    if (target instanceof PublishTarget.Denied denied) {
      String why = "publish to " + publish.topic() + ": " + denied.why();
      if (mqtt5 && publish.qos() == MqttQoS.AT_LEAST_ONCE) {
        return new Refuse(
            MqttReplies.NOT_AUTHORIZED, "topic not permitted: " + denied.why(), "acl");
      }
      return new Close(CloseReason.ACL, why);
    }
    if (publish.qos() == MqttQoS.AT_LEAST_ONCE) {
      inFlight++;
    }
    return new Admit(target);
  }

  /** A QoS 1 publish that was admitted got its answer (or never will: the connection closes). */
  void answered(InboundPublish publish) {
    if (publish.qos() == MqttQoS.AT_LEAST_ONCE && inFlight > 0) {
      inFlight--;
    }
  }
}
