package org.labmeter.agent.config;

/**
 * Where an instrument's samples come from: a simulator or a Modbus device. Serial status sources
 * will join this sealed family, so a switch over it stays exhaustive.
 */
public sealed interface SourceConfig permits SimulatedSource, ModbusSource {

  /** The {@code type} value in the configuration file. */
  String type();

  /** Time between two samples. */
  long periodMillis();

  /** Whether to sample live or produce a fixed window. */
  SamplingMode mode();
}
