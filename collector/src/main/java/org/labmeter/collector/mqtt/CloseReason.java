package org.labmeter.collector.mqtt;

/**
 * Why the collector closes a connection that was accepted: the tag of {@code collector.rejected}
 * (null where the close is not the client's fault and is counted elsewhere) and the reason code of
 * the DISCONNECT an MQTT 5 client gets first. MQTT 3.1.1 has no server DISCONNECT: the connection
 * just closes.
 */
enum CloseReason {
  PROTOCOL("protocol", 0x82),
  BAD_PACKET("bad_packet", 0x81),
  /** Counted with the other undecodable packets, under the same tag. */
  PACKET_TOO_LARGE("bad_packet", 0x95),
  QOS2("qos2", 0x9B),
  /** MQTT 3.1.1 publishes and MQTT 5 QoS 0 publishes; MQTT 5 QoS 1 gets a PUBACK 0x87. */
  ACL("acl", 0x87),
  OVERLOAD("overload", 0x89),
  RECEIVE_MAXIMUM("receive_maximum", 0x93),
  TOPIC_ALIAS("topic_alias", 0x94),
  /** A store write failed: the agent must resend, so no PUBACK is sent at all. */
  STORE_FAILED(null, 0x80),
  SERVER_SHUTTING_DOWN(null, 0x8B),
  KEEP_ALIVE_TIMEOUT(null, 0x8D),
  SESSION_TAKEN_OVER(null, 0x8E);

  private final String tag;
  private final byte code;

  CloseReason(String tag, int code) {
    this.tag = tag;
    this.code = (byte) code;
  }

  /** The {@code collector.rejected} tag, or null when not counted as a rejection. */
  String tag() {
    return tag;
  }

  byte code() {
    return code;
  }
}
