package org.labmeter.agent.config;

import java.nio.file.Path;

/**
 * The {@code agent} section: who the agent is and where it keeps its state.
 *
 * @param id the agent id, also its MQTT client id and default user name
 * @param dataDir key, epoch counter, outbox and chain state; one directory per agent
 */
public record AgentSettings(String id, Path dataDir) {

  public AgentSettings {
    InvalidConfigException.requireId("id", id);
    if (dataDir == null) {
      throw new InvalidConfigException("dataDir", "missing; required, e.g. ./data/" + id);
    }
  }
}
