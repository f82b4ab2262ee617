package org.labmeter.metering.registry;

/**
 * An approved agent and its new MQTT password, which is shown this once (only its hash is stored).
 */
public record AgentApproval(AgentView agent, String mqttPassword) {
  /** Never prints the password. */
  @Override
  public String toString() {
    return "AgentApproval[" + agent + "]";
  }
}
