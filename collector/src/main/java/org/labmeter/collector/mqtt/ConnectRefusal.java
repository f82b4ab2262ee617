package org.labmeter.collector.mqtt;

import static io.netty.handler.codec.mqtt.MqttConnectReturnCode.*;

import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import org.labmeter.collector.auth.AuthResult;

/**
 * Why a CONNECT was refused: the tag of {@code collector.connections.refused} and the CONNACK code
 * for each protocol version (MQTT 3.1.1 has only five; MQTT 5 says more).
 */
enum ConnectRefusal {
  PROTOCOL_VERSION(
      "protocol_version",
      CONNECTION_REFUSED_UNACCEPTABLE_PROTOCOL_VERSION,
      CONNECTION_REFUSED_UNSUPPORTED_PROTOCOL_VERSION),
  CLIENT_ID(
      "client_id",
      CONNECTION_REFUSED_IDENTIFIER_REJECTED,
      CONNECTION_REFUSED_CLIENT_IDENTIFIER_NOT_VALID),
  WILL_TOPIC("will_topic", CONNECTION_REFUSED_NOT_AUTHORIZED, CONNECTION_REFUSED_NOT_AUTHORIZED_5),
  WILL_QOS("will_qos", CONNECTION_REFUSED_NOT_AUTHORIZED, CONNECTION_REFUSED_QOS_NOT_SUPPORTED),
  /** Only MQTT 3.1.1: an MQTT 5 client is told the bound instead (Server Keep Alive). */
  KEEP_ALIVE("keep_alive", CONNECTION_REFUSED_NOT_AUTHORIZED, CONNECTION_REFUSED_NOT_AUTHORIZED_5),
  AUTH_METHOD(
      "auth_method",
      CONNECTION_REFUSED_NOT_AUTHORIZED,
      CONNECTION_REFUSED_BAD_AUTHENTICATION_METHOD),
  CERTIFICATE_MISMATCH(
      "certificate_mismatch",
      CONNECTION_REFUSED_NOT_AUTHORIZED,
      CONNECTION_REFUSED_NOT_AUTHORIZED_5),
  AGENT_CONNECTIONS(
      "agent_connections",
      CONNECTION_REFUSED_SERVER_UNAVAILABLE,
      CONNECTION_REFUSED_QUOTA_EXCEEDED),
  BUSY("busy", CONNECTION_REFUSED_SERVER_UNAVAILABLE, CONNECTION_REFUSED_SERVER_BUSY),
  UNKNOWN_AGENT(
      "unknown_agent",
      CONNECTION_REFUSED_NOT_AUTHORIZED,
      CONNECTION_REFUSED_BAD_USERNAME_OR_PASSWORD),
  DISABLED("disabled", CONNECTION_REFUSED_NOT_AUTHORIZED, CONNECTION_REFUSED_NOT_AUTHORIZED_5),
  MISSING_CREDENTIAL(
      "missing_credential",
      CONNECTION_REFUSED_NOT_AUTHORIZED,
      CONNECTION_REFUSED_BAD_USERNAME_OR_PASSWORD),
  BAD_CREDENTIAL(
      "bad_credential",
      CONNECTION_REFUSED_NOT_AUTHORIZED,
      CONNECTION_REFUSED_BAD_USERNAME_OR_PASSWORD),
  DIRECTORY_UNAVAILABLE(
      "directory_unavailable",
      CONNECTION_REFUSED_SERVER_UNAVAILABLE,
      CONNECTION_REFUSED_SERVER_UNAVAILABLE_5);

  private final String tag;
  private final MqttConnectReturnCode v3;
  private final MqttConnectReturnCode v5;

  ConnectRefusal(String tag, MqttConnectReturnCode v3, MqttConnectReturnCode v5) {
    this.tag = tag;
    this.v3 = v3;
    this.v5 = v5;
  }

  String tag() {
    return tag;
  }

  MqttConnectReturnCode code(boolean mqtt5) {
    return mqtt5 ? v5 : v3;
  }

  static ConnectRefusal of(AuthResult.Reason reason) {
    return switch (reason) {
      case UNKNOWN_AGENT -> UNKNOWN_AGENT;
      case DISABLED -> DISABLED;
      case MISSING_CREDENTIAL -> MISSING_CREDENTIAL;
      case BAD_CREDENTIAL -> BAD_CREDENTIAL;
      case DIRECTORY_UNAVAILABLE -> DIRECTORY_UNAVAILABLE;
    };
  }
}
