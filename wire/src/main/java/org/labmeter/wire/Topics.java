package org.labmeter.wire;

import java.util.Optional;

/**
 * MQTT topic names of the wire contract (see docs/protocol.md).
 *
 * <ul>
 *   <li>{@code labmeter/v1/<agentId>/<instrumentId>/telemetry}: signed batches, QoS 1
 *   <li>{@code labmeter/v1/<agentId>/status}: retained birth ("online") and last will ("offline")
 * </ul>
 */
public final class Topics {
  public static final String PREFIX = "labmeter/v1/";

  private Topics() {}

  public static String telemetry(String agentId, String instrumentId) {
    return PREFIX
        + Ids.requireValid("agentId", agentId)
        + "/"
        + Ids.requireValid("instrumentId", instrumentId)
        + "/telemetry";
  }

  public static String status(String agentId) {
    return PREFIX + Ids.requireValid("agentId", agentId) + "/status";
  }

  /** Filter that matches every agent's telemetry, for subscribers such as a bridge collector. */
  public static String allTelemetry() {
    return PREFIX + "+/+/telemetry";
  }

  public static String allStatus() {
    return PREFIX + "+/status";
  }

  /** Agent and instrument of a telemetry topic. */
  public record TelemetryTopic(String agentId, String instrumentId) {}

  public static Optional<TelemetryTopic> parseTelemetry(String topic) {
    if (topic == null || !topic.startsWith(PREFIX)) {
      return Optional.empty();
    }
    String[] parts = topic.substring(PREFIX.length()).split("/", -1);
    if (parts.length != 3 || !parts[2].equals("telemetry")) {
      return Optional.empty();
    }
    if (!Ids.isValid(parts[0]) || !Ids.isValid(parts[1])) {
      return Optional.empty();
    }
    return Optional.of(new TelemetryTopic(parts[0], parts[1]));
  }

  /** Agent id of a status topic. */
  public static Optional<String> parseStatus(String topic) {
    if (topic == null || !topic.startsWith(PREFIX) || !topic.endsWith("/status")) {
      return Optional.empty();
    }
    String agent = topic.substring(PREFIX.length(), topic.length() - "/status".length());
    return Ids.isValid(agent) ? Optional.of(agent) : Optional.empty();
  }
}
