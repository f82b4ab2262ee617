package org.labmeter.agent.config;

/**
 * Where an instrument's samples come from. Only simulated sources exist yet; Modbus and serial
 * sources will join this sealed family, so a switch over it stays exhaustive.
 */
public sealed interface SourceConfig permits SimulatedSource {

  /** The {@code type} value in the configuration file. */
  String type();

  /** Time between two samples. */
  long periodMillis();

  /** Whether to sample live or produce a fixed window. */
  SamplingMode mode();
}
