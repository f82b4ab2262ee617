package org.labmeter.agent.config;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A whole agent configuration, loaded from YAML by {@link AgentConfigLoader} or built in code (the
 * demo launcher starts agents in-process). Every record validates itself, so a configuration that
 * exists is one the agent can run with.
 */
public record AgentConfig(
    AgentSettings agent,
    MqttConfig mqtt,
    BatchingConfig batching,
    OutboxConfig outbox,
    ReplayConfig replay,
    ClockConfig clock,
    List<InstrumentConfig> instruments) {

  public AgentConfig {
    Objects.requireNonNull(agent, "agent");
    Objects.requireNonNull(mqtt, "mqtt");
    Objects.requireNonNull(batching, "batching");
    Objects.requireNonNull(outbox, "outbox");
    Objects.requireNonNull(replay, "replay");
    Objects.requireNonNull(clock, "clock");
    instruments = List.copyOf(Objects.requireNonNull(instruments, "instruments"));
    if (instruments.isEmpty()) {
      throw new InvalidConfigException("instruments", "is empty; at least one is required");
    }
    Map<String, Integer> seen = new HashMap<>();
    for (int i = 0; i < instruments.size(); i++) {
      Integer before = seen.putIfAbsent(instruments.get(i).id(), i);
      if (before != null) {
        throw new InvalidConfigException(
            "instruments[" + i + "].id",
            "'"
                + instruments.get(i).id()
                + "' is used by instruments["
                + before
                + "] already; ids must be unique");
      }
    }
  }

  /** Default backlog replay, clock offset not measured. */
  public AgentConfig(
      AgentSettings agent,
      MqttConfig mqtt,
      BatchingConfig batching,
      OutboxConfig outbox,
      List<InstrumentConfig> instruments) {
    this(agent, mqtt, batching, outbox, ReplayConfig.DEFAULT, ClockConfig.NONE, instruments);
  }

  /** A configuration with default batching and outbox quota. */
  public static AgentConfig of(
      AgentSettings agent, MqttConfig mqtt, List<InstrumentConfig> instruments) {
    return new AgentConfig(agent, mqtt, BatchingConfig.DEFAULT, OutboxConfig.DEFAULT, instruments);
  }

  public AgentConfig withBatching(BatchingConfig batching) {
    return new AgentConfig(agent, mqtt, batching, outbox, replay, clock, instruments);
  }

  public AgentConfig withOutbox(OutboxConfig outbox) {
    return new AgentConfig(agent, mqtt, batching, outbox, replay, clock, instruments);
  }

  public AgentConfig withReplay(ReplayConfig replay) {
    return new AgentConfig(agent, mqtt, batching, outbox, replay, clock, instruments);
  }

  public AgentConfig withClock(ClockConfig clock) {
    return new AgentConfig(agent, mqtt, batching, outbox, replay, clock, instruments);
  }

  public AgentConfig withMqtt(MqttConfig mqtt) {
    return new AgentConfig(agent, mqtt, batching, outbox, replay, clock, instruments);
  }
}
