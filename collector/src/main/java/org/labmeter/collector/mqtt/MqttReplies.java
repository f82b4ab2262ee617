package org.labmeter.collector.mqtt;

import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttSubscribeMessage;
import io.netty.handler.codec.mqtt.MqttUnsubscribeMessage;
import java.util.Arrays;
import org.labmeter.collector.ingest.IngestOutcome;

/**
 * The packets the collector sends; it never publishes, so these are all there are. The encoder
 * writes each in the version the connection's CONNECT chose; properties and reason codes are left
 * out for MQTT 3.1.1.
 */
final class MqttReplies {
  /** PUBACK reason codes of MQTT 5 used by the collector. */
  static final byte SUCCESS = 0x00;

  static final byte UNSPECIFIED_ERROR = (byte) 0x80;
  static final byte IMPLEMENTATION_SPECIFIC_ERROR = (byte) 0x83;
  static final byte NOT_AUTHORIZED = (byte) 0x87;
  static final byte PAYLOAD_FORMAT_INVALID = (byte) 0x99;

  private MqttReplies() {}

  /** Never "session present": the collector keeps no session state. */
  static MqttMessage connAck(MqttConnectReturnCode code) {
    return connAck(code, MqttProperties.NO_PROPERTIES);
  }

  static MqttMessage connAck(MqttConnectReturnCode code, MqttProperties properties) {
    return MqttMessageBuilders.connAck()
        .returnCode(code)
        .sessionPresent(false)
        .properties(properties)
        .build();
  }

  static MqttMessage pubAck(int packetId) {
    return MqttMessageBuilders.pubAck().packetId(packetId).build();
  }

  /** An MQTT 5 PUBACK; {@code reasonString} may be null. */
  static MqttMessage pubAck(int packetId, byte reasonCode, String reasonString) {
    return MqttMessageBuilders.pubAck()
        .packetId(packetId)
        .reasonCode(reasonCode)
        .properties(reasonString(reasonString))
        .build();
  }

  /** An MQTT 5 server DISCONNECT. */
  static MqttMessage disconnect(byte reasonCode, String reasonString) {
    return MqttMessageBuilders.disconnect()
        .reasonCode(reasonCode)
        .properties(reasonString(reasonString))
        .build();
  }

  /** Failure (0x80) for every filter: agents publish, nobody subscribes here. */
  static MqttMessage subAckRefusingAll(int packetId, int filters) {
    MqttQoS[] failures = new MqttQoS[filters];
    Arrays.fill(failures, MqttQoS.FAILURE);
    return MqttMessageBuilders.subAck().packetId(packetId).addGrantedQoses(failures).build();
  }

  /** MQTT 5 wants a reason code per filter: 0x11, no subscription existed. */
  static MqttMessage unsubAck(int packetId, boolean mqtt5, int filters) {
    MqttMessageBuilders.UnsubAckBuilder builder = MqttMessageBuilders.unsubAck().packetId(packetId);
    if (mqtt5) {
      Short[] codes = new Short[filters];
      Arrays.fill(codes, (short) 0x11);
      builder.addReasonCodes(codes);
    }
    return builder.build();
  }

  /** The answer to PINGREQ, SUBSCRIBE (refused) or UNSUBSCRIBE. */
  static MqttMessage answer(MqttMessage request, boolean mqtt5) {
    return switch (request.fixedHeader().messageType()) {
      case SUBSCRIBE -> {
        MqttSubscribeMessage subscribe = (MqttSubscribeMessage) request;
        yield subAckRefusingAll(
            subscribe.variableHeader().messageId(),
            subscribe.payload().topicSubscriptions().size());
      }
      case UNSUBSCRIBE -> {
        MqttUnsubscribeMessage unsubscribe = (MqttUnsubscribeMessage) request;
        yield unsubAck(
            unsubscribe.variableHeader().messageId(), mqtt5, unsubscribe.payload().topics().size());
      }
      default -> pingResp();
    };
  }

  /** The PUBACK of an acknowledged outcome, in the session's version. */
  static MqttMessage pubAck(ConnectHandshake.Request session, int packetId, IngestOutcome outcome) {
    return session.mqtt5()
        ? pubAck(packetId, pubAckCode(outcome), session.reasonString(pubAckReason(outcome)))
        : pubAck(packetId);
  }

  static MqttMessage pingResp() {
    return new MqttMessage(
        new MqttFixedHeader(MqttMessageType.PINGRESP, false, MqttQoS.AT_MOST_ONCE, false, 0));
  }

  /**
   * The MQTT 5 PUBACK code of an outcome that is acknowledged. A PUBACK ends the agent's delivery
   * whatever its code, so only verdicts that resending cannot change get an error code; a batch the
   * collector could not store gets no PUBACK at all.
   */
  static byte pubAckCode(IngestOutcome outcome) {
    if (outcome instanceof IngestOutcome.Rejected rejected) {
      return switch (rejected.reason()) {
        case MALFORMED, UNSUPPORTED_VERSION -> PAYLOAD_FORMAT_INVALID;
        case AGENT_MISMATCH, INSTRUMENT_MISMATCH, BAD_SIGNATURE -> NOT_AUTHORIZED;
        case FUTURE_TIMESTAMP, FORK -> IMPLEMENTATION_SPECIFIC_ERROR;
      };
    }
    return SUCCESS;
  }

  /** The reason string of {@link #pubAckCode}: the rejection tag, or null on success. */
  static String pubAckReason(IngestOutcome outcome) {
    return outcome instanceof IngestOutcome.Rejected rejected
        ? "batch rejected: " + rejected.reason().tag()
        : null;
  }

  private static MqttProperties reasonString(String text) {
    if (text == null) {
      return MqttProperties.NO_PROPERTIES;
    }
    MqttProperties properties = new MqttProperties();
    properties.add(new MqttProperties.StringProperty(MqttProperties.REASON_STRING, text));
    return properties;
  }
}
