package org.labmeter.collector.mqtt;

import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttReasonCodeAndPropertiesVariableHeader;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicBoolean;
import org.labmeter.collector.auth.AgentRecord;
import org.labmeter.collector.auth.PublishTarget;
import org.labmeter.collector.ingest.ShardDispatcher.Admission;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The will an agent left at CONNECT (its topic already checked to be the agent's own status topic).
 * The listener plays the broker here: when the connection ends without a DISCONNECT (the network
 * dropped, the keep-alive ran out, the collector closed it for a protocol problem), the will goes
 * to the sink's status path on the agent's worker, behind the agent's queued publishes, so the
 * agent shows offline in {@code lm_agent_status}, as in bridge mode. A clean DISCONNECT discards
 * it, except an MQTT 5 DISCONNECT with reason 0x04 (disconnect with will message). The MQTT 5 Will
 * Delay Interval is not honoured: no session outlives its connection here, so the will goes at
 * once.
 */
record LastWill(String topic, byte[] payload) {
  private static final Logger LOG = LoggerFactory.getLogger(LastWill.class);

  /** MQTT 5 DISCONNECT reason: disconnect with will message. */
  static final byte DISCONNECT_WITH_WILL = 0x04;

  /** The will of {@code connect}, or null without one. */
  static LastWill of(MqttConnectMessage connect) {
    if (!connect.variableHeader().isWillFlag()) {
      return null;
    }
    byte[] payload = connect.payload().willMessageInBytes();
    return new LastWill(connect.payload().willTopic(), payload == null ? new byte[0] : payload);
  }

  /** Whether a client's DISCONNECT asks for its will to be sent all the same (MQTT 5, 0x04). */
  static boolean keptOnDisconnect(MqttMessage disconnect) {
    return disconnect.variableHeader() instanceof MqttReasonCodeAndPropertiesVariableHeader h
        && h.reasonCode() == DISCONNECT_WITH_WILL;
  }

  /** Hands the will to the agent's worker; never blocks. */
  void deliver(ConnectionServices services, AgentRecord agent) {
    LOG.info(
        "Connection of agent {} ended without a clean DISCONNECT; delivering its will",
        agent.agentId());
    services.metrics().willDelivered();
    PublishWork work =
        new PublishWork(
            services.sink(),
            agent,
            new PublishTarget.Status(),
            new InboundPublish(topic, MqttQoS.AT_MOST_ONCE, 0, payload),
            System.currentTimeMillis(),
            new AtomicBoolean(),
            outcome -> {});
    Admission queued;
    try {
      queued = services.workers().submit(agent.agentId(), work, () -> {});
    } catch (RuntimeException e) {
      queued = Admission.REFUSED;
    }
    if (queued == Admission.REFUSED) {
      services.metrics().rejected("overload");
      LOG.warn("Will of agent {} dropped: its worker queue is full or stopping", agent.agentId());
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LastWill w && topic.equals(w.topic) && Arrays.equals(payload, w.payload);
  }

  @Override
  public int hashCode() {
    return topic.hashCode() * 31 + Arrays.hashCode(payload);
  }

  @Override
  public String toString() {
    return "LastWill[topic=" + topic + ", bytes=" + payload.length + "]";
  }
}
