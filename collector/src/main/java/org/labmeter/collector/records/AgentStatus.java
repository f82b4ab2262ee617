package org.labmeter.collector.records;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Objects;
import java.util.Optional;

/**
 * A birth or last-will message of an agent, as received on {@code labmeter/v1/<agent>/status}
 * (docs/protocol.md): {@code {"state":"online"|"offline","epoch":N,"ts":ms}}.
 *
 * @param epoch the agent's boot counter
 * @param agentTsMillis the agent's clock when it made the message (for a will: when it connected)
 * @param receivedAtMillis when the collector received it
 */
public record AgentStatus(
    String agentId, String state, long epoch, long agentTsMillis, long receivedAtMillis) {
  private static final ObjectMapper JSON = new ObjectMapper();

  public AgentStatus {
    Objects.requireNonNull(agentId, "agentId");
    Objects.requireNonNull(state, "state");
  }

  /** The message, or empty when it is not JSON of that shape or names another state. */
  public static Optional<AgentStatus> parse(String agentId, byte[] payload, long receivedAtMillis) {
    if (payload.length == 0 || payload.length > 1024) {
      return Optional.empty();
    }
    try {
      JsonNode n = JSON.readTree(payload);
      if (n == null || !n.isObject()) {
        return Optional.empty();
      }
      String state = n.path("state").asText("");
      if (!state.equals("online") && !state.equals("offline")) {
        return Optional.empty();
      }
      JsonNode epoch = n.path("epoch");
      JsonNode ts = n.path("ts");
      if (!epoch.canConvertToLong() || !ts.canConvertToLong()) {
        return Optional.empty();
      }
      return Optional.of(
          new AgentStatus(agentId, state, epoch.asLong(), ts.asLong(), receivedAtMillis));
    } catch (IOException e) {
      return Optional.empty();
    }
  }
}
