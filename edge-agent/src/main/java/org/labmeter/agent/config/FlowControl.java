package org.labmeter.agent.config;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** Handshaking on a serial line; some instruments drop characters without the one they expect. */
public enum FlowControl {
  NONE("none"),
  RTS_CTS("rts-cts"),
  DTR_DSR("dtr-dsr"),
  XON_XOFF("xon-xoff");

  private final String configName;

  FlowControl(String configName) {
    this.configName = configName;
  }

  public String configName() {
    return configName;
  }

  public static List<String> configNames() {
    return Arrays.stream(values()).map(FlowControl::configName).toList();
  }

  public static Optional<FlowControl> fromConfigName(String name) {
    return Arrays.stream(values()).filter(f -> f.configName.equals(name)).findFirst();
  }
}
