package org.labmeter.agent.config;

/**
 * One instrument the agent samples; it gets its own hash chain and outbox directory.
 *
 * @param id instrument id, a topic level and a store tag
 * @param source where its samples come from
 */
public record InstrumentConfig(String id, SourceConfig source) {

  public InstrumentConfig {
    InvalidConfigException.requireId("id", id);
    if (source == null) {
      throw new InvalidConfigException(
          "source", "missing; allowed types: simulated, modbus, scpi, text-status");
    }
  }
}
