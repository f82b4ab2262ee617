package org.labmeter.agent.config;

import java.util.List;
import java.util.Objects;

/**
 * An RS-232 (or USB serial) line to one instrument that reports its status as text. One poller
 * thread per port, one query outstanding at a time: several instruments drop characters when a
 * query arrives before the last reply was read.
 *
 * @param port device path, e.g. {@code /dev/ttyUSB0} or {@code /dev/serial/by-id/...}
 * @param baudRate 300..921600
 * @param dataBits 7 or 8
 * @param parity {@code none}, {@code even} or {@code odd}
 * @param stopBits 1 or 2
 * @param flowControl handshaking
 * @param terminator ends each query and each reply
 * @param readTimeoutMillis how long to wait for a whole reply line (for an instrument that prints
 *     by itself: the longest silence before it counts as unavailable)
 * @param pauseMillis quiet time after each reply before the next query
 * @param reconnectMillis wait before opening the port again after it failed
 */
public record SerialLine(
    String port,
    int baudRate,
    int dataBits,
    String parity,
    int stopBits,
    FlowControl flowControl,
    LineTerminator terminator,
    long readTimeoutMillis,
    long pauseMillis,
    long reconnectMillis) {
  public static final List<String> PARITIES = List.of("none", "even", "odd");

  public SerialLine {
    if (port == null || port.isBlank()) {
      throw new InvalidConfigException("port", "missing; required, e.g. /dev/ttyUSB0");
    }
    InvalidConfigException.requireRange("baud", baudRate, 300, 921_600);
    InvalidConfigException.requireRange("dataBits", dataBits, 7, 8);
    if (!PARITIES.contains(parity)) {
      throw new InvalidConfigException(
          "parity", "'" + parity + "' is not a parity; allowed: " + String.join(", ", PARITIES));
    }
    InvalidConfigException.requireRange("stopBits", stopBits, 1, 2);
    Objects.requireNonNull(flowControl, "flowControl");
    Objects.requireNonNull(terminator, "terminator");
    InvalidConfigException.requireRange("readTimeoutMillis", readTimeoutMillis, 20, 600_000);
    InvalidConfigException.requireRange("pauseMillis", pauseMillis, 0, 10_000);
    InvalidConfigException.requireRange("reconnectMillis", reconnectMillis, 10, 600_000);
  }

  /** 9600 8N1, no handshaking, LF, 1 s read timeout, 50 ms pause, 2 s reconnect. */
  public static SerialLine defaults(String port) {
    return new SerialLine(
        port, 9600, 8, "none", 1, FlowControl.NONE, LineTerminator.LF, 1000, 50, 2000);
  }
}
