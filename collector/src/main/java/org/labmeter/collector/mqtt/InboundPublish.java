package org.labmeter.collector.mqtt;

import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import java.util.Arrays;

/**
 * A PUBLISH copied out of Netty's pooled buffer on arrival, so the buffer is released on the event
 * loop at once and the worker owns plain bytes.
 */
record InboundPublish(String topic, MqttQoS qos, int packetId, byte[] payload) {

  /** Copies the payload; the caller still releases {@code publish}. */
  static InboundPublish copyOf(MqttPublishMessage publish) {
    return new InboundPublish(
        publish.variableHeader().topicName(),
        publish.fixedHeader().qosLevel(),
        publish.variableHeader().packetId(),
        ByteBufUtil.getBytes(publish.payload()));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof InboundPublish other
        && topic.equals(other.topic)
        && qos == other.qos
        && packetId == other.packetId
        && Arrays.equals(payload, other.payload);
  }

  @Override
  public int hashCode() {
    return (topic.hashCode() * 31 + packetId) * 31 + Arrays.hashCode(payload);
  }

  @Override
  public String toString() {
    return "InboundPublish[topic="
        + topic
        + ", qos="
        + qos
        + ", packetId="
        + packetId
        + ", bytes="
        + payload.length
        + "]";
  }
}
