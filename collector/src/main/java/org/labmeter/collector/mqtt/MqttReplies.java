package org.labmeter.collector.mqtt;

import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttQoS;
import java.util.Arrays;

/** The packets the collector sends; it never publishes, so these are all there are. */
final class MqttReplies {
  private MqttReplies() {}

  /** Never "session present": the collector keeps no session state. */
  static MqttMessage connAck(MqttConnectReturnCode code) {
    return MqttMessageBuilders.connAck().returnCode(code).sessionPresent(false).build();
  }

  static MqttMessage pubAck(int packetId) {
    return MqttMessageBuilders.pubAck().packetId(packetId).build();
  }

  /** Failure (0x80) for every filter: agents publish, nobody subscribes here. */
  static MqttMessage subAckRefusingAll(int packetId, int filters) {
    MqttQoS[] failures = new MqttQoS[filters];
    Arrays.fill(failures, MqttQoS.FAILURE);
    return MqttMessageBuilders.subAck().packetId(packetId).addGrantedQoses(failures).build();
  }

  static MqttMessage unsubAck(int packetId) {
    return MqttMessageBuilders.unsubAck().packetId(packetId).build();
  }

  static MqttMessage pingResp() {
    return new MqttMessage(
        new MqttFixedHeader(MqttMessageType.PINGRESP, false, MqttQoS.AT_MOST_ONCE, false, 0));
  }
}
