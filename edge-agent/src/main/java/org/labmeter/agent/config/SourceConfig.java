package org.labmeter.agent.config;

/**
 * Where an instrument's samples come from: a simulator, a Modbus device, or a serial status line.
 * The family is sealed, so a switch over it stays exhaustive.
 */
public sealed interface SourceConfig permits SimulatedSource, ModbusSource, SerialSource {

  /** The {@code type} value in the configuration file. */
  String type();

  /** Time between two samples. */
  long periodMillis();

  /** Whether to sample live or produce a fixed window. */
  SamplingMode mode();
}
