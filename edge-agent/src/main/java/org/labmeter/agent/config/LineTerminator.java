package org.labmeter.agent.config;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** What ends a query sent to the instrument and a reply read from it. */
public enum LineTerminator {
  LF("lf", "\n"),
  CR("cr", "\r"),
  CRLF("crlf", "\r\n");

  private final String configName;
  private final String text;

  LineTerminator(String configName, String text) {
    this.configName = configName;
    this.text = text;
  }

  public String configName() {
    return configName;
  }

  /** The characters themselves. */
  public String text() {
    return text;
  }

  public static List<String> configNames() {
    return Arrays.stream(values()).map(LineTerminator::configName).toList();
  }

  public static Optional<LineTerminator> fromConfigName(String name) {
    return Arrays.stream(values()).filter(t -> t.configName.equals(name)).findFirst();
  }
}
