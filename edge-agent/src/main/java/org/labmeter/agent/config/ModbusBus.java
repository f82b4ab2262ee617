package org.labmeter.agent.config;

import java.util.List;
import java.util.Objects;

/**
 * The bus a Modbus device hangs on. Devices with the same {@link #key()} share one poller thread
 * and one connection, so they must agree on every setting of the bus; the agent refuses to start
 * otherwise.
 */
public sealed interface ModbusBus permits ModbusBus.Tcp, ModbusBus.Rtu {

  /** Identifies the physical bus or gateway: {@code tcp:host:port} or {@code rtu:/dev/ttyUSB0}. */
  String key();

  BusTiming timing();

  /**
   * Modbus TCP, to a meter with Ethernet or to an RTU gateway (one connection per gateway).
   *
   * @param host host name or address
   * @param port TCP port, usually 502
   */
  record Tcp(String host, int port, BusTiming timing) implements ModbusBus {
    public Tcp {
      if (host == null || host.isBlank()) {
        throw new InvalidConfigException("host", "missing; required, e.g. 192.168.1.50");
      }
      InvalidConfigException.requireRange("port", port, 1, 65535);
      Objects.requireNonNull(timing, "timing");
    }

    @Override
    public String key() {
      return "tcp:" + host + ":" + port;
    }
  }

  /**
   * Modbus RTU over a serial port (RS-485). One request in flight on the whole segment.
   *
   * @param serialPort device path, e.g. {@code /dev/ttyUSB0}
   * @param baudRate e.g. 9600 (SDM630) or 2400 (SDM120)
   * @param parity {@code none}, {@code even} or {@code odd}
   * @param dataBits 7 or 8
   * @param stopBits 1 or 2
   */
  record Rtu(
      String serialPort, int baudRate, String parity, int dataBits, int stopBits, BusTiming timing)
      implements ModbusBus {
    public static final List<String> PARITIES = List.of("none", "even", "odd");

    public Rtu {
      if (serialPort == null || serialPort.isBlank()) {
        throw new InvalidConfigException("serialPort", "missing; required, e.g. /dev/ttyUSB0");
      }
      InvalidConfigException.requireRange("baud", baudRate, 300, 921_600);
      if (!PARITIES.contains(parity)) {
        throw new InvalidConfigException(
            "parity", "'" + parity + "' is not a parity; allowed: " + String.join(", ", PARITIES));
      }
      InvalidConfigException.requireRange("dataBits", dataBits, 7, 8);
      InvalidConfigException.requireRange("stopBits", stopBits, 1, 2);
      Objects.requireNonNull(timing, "timing");
    }

    @Override
    public String key() {
      return "rtu:" + serialPort;
    }
  }
}
