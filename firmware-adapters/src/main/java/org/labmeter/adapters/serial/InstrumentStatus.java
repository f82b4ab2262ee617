package org.labmeter.adapters.serial;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * What an instrument says about itself over its status line. Kept apart from the wire's run flag so
 * that this module stays free of any transport or envelope; the agent maps one onto the other.
 */
public enum InstrumentStatus {
  RUNNING("running"),
  IDLE("idle"),
  FAULT("fault");

  private final String configName;

  InstrumentStatus(String configName) {
    this.configName = configName;
  }

  /** The name used in configuration files. */
  public String configName() {
    return configName;
  }

  public static List<String> configNames() {
    return Arrays.stream(values()).map(InstrumentStatus::configName).toList();
  }

  public static Optional<InstrumentStatus> fromConfigName(String name) {
    return Arrays.stream(values()).filter(s -> s.configName.equals(name)).findFirst();
  }
}
