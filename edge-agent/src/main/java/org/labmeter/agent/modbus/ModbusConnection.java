package org.labmeter.agent.modbus;

import com.digitalpetri.modbus.client.ModbusClient;
import com.digitalpetri.modbus.client.ModbusRtuClient;
import com.digitalpetri.modbus.client.ModbusTcpClient;
import com.digitalpetri.modbus.pdu.ReadCoilsRequest;
import com.digitalpetri.modbus.pdu.ReadDiscreteInputsRequest;
import com.digitalpetri.modbus.pdu.ReadHoldingRegistersRequest;
import com.digitalpetri.modbus.pdu.ReadInputRegistersRequest;
import com.digitalpetri.modbus.serial.client.SerialPortClientTransport;
import com.digitalpetri.modbus.tcp.client.NettyTcpClientTransport;
import com.fazecast.jSerialComm.SerialPort;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.labmeter.adapters.profile.ReadBlock;
import org.labmeter.agent.config.ModbusBus;

/**
 * One client on one bus, over digitalpetri modbus: Netty for TCP, jSerialComm for RTU. Blocking
 * calls; used only by the thread of the bus's poller (or by a one-off probe).
 */
final class ModbusConnection implements AutoCloseable {
  private final ModbusBus bus;
  private final ModbusClient client;

  ModbusConnection(ModbusBus bus) {
    this.bus = bus;
    Duration timeout = Duration.ofMillis(bus.timing().requestTimeoutMillis());
    Duration connectTimeout = Duration.ofMillis(connectTimeoutMillis(bus));
    if (bus instanceof ModbusBus.Tcp tcp) {
      NettyTcpClientTransport transport =
          NettyTcpClientTransport.create(
              cfg -> {
                cfg.hostname = tcp.host();
                cfg.port = tcp.port();
                cfg.connectTimeout = connectTimeout;
                cfg.connectPersistent = false;
              });
      client = ModbusTcpClient.create(transport, cfg -> cfg.requestTimeout = timeout);
    } else {
      ModbusBus.Rtu rtu = (ModbusBus.Rtu) bus;
      SerialPortClientTransport transport =
          SerialPortClientTransport.create(
              cfg -> {
                cfg.serialPort = rtu.serialPort();
                cfg.baudRate = rtu.baudRate();
                cfg.dataBits = rtu.dataBits();
                cfg.stopBits =
                    rtu.stopBits() == 2 ? SerialPort.TWO_STOP_BITS : SerialPort.ONE_STOP_BIT;
                cfg.parity =
                    switch (rtu.parity()) {
                      case "even" -> SerialPort.EVEN_PARITY;
                      case "odd" -> SerialPort.ODD_PARITY;
                      default -> SerialPort.NO_PARITY;
                    };
              });
      client = ModbusRtuClient.create(transport, cfg -> cfg.requestTimeout = timeout);
    }
  }

  ModbusBus bus() {
    return bus;
  }

  boolean isConnected() {
    return client.isConnected();
  }

  /**
   * Connects, waiting at most {@link #connectTimeoutMillis} (a serial port opens at once or fails).
   */
  void connect() throws Exception {
    client
        .connectAsync()
        .toCompletableFuture()
        .get(connectTimeoutMillis(bus), TimeUnit.MILLISECONDS);
  }

  /** Twice the request timeout, at least 2 s: a TCP handshake to a busy gateway may take longer. */
  static long connectTimeoutMillis(ModbusBus bus) {
    return Math.max(2000, 2 * bus.timing().requestTimeoutMillis());
  }

  /** Reads a block of registers as 16-bit words, or of bits as 0/1. */
  int[] read(int unitId, ReadBlock block) throws Exception {
    return switch (block.table()) {
      case INPUT_REGISTERS ->
          words(
              client
                  .readInputRegisters(
                      unitId, new ReadInputRegistersRequest(block.address(), block.count()))
                  .registers(),
              block);
      case HOLDING_REGISTERS ->
          words(
              client
                  .readHoldingRegisters(
                      unitId, new ReadHoldingRegistersRequest(block.address(), block.count()))
                  .registers(),
              block);
      case COILS ->
          bits(
              client
                  .readCoils(unitId, new ReadCoilsRequest(block.address(), block.count()))
                  .coils(),
              block);
      case DISCRETE_INPUTS ->
          bits(
              client
                  .readDiscreteInputs(
                      unitId, new ReadDiscreteInputsRequest(block.address(), block.count()))
                  .inputs(),
              block);
    };
  }

  private static int[] words(byte[] bytes, ReadBlock block) throws ShortFrameException {
    if (bytes.length != block.count() * 2) {
      throw new ShortFrameException(block.count() * 2, bytes.length);
    }
    int[] out = new int[block.count()];
    for (int i = 0; i < out.length; i++) {
      out[i] = ((bytes[2 * i] & 0xFF) << 8) | (bytes[2 * i + 1] & 0xFF);
    }
    return out;
  }

  private static int[] bits(byte[] bytes, ReadBlock block) throws ShortFrameException {
    int needed = (block.count() + 7) / 8;
    if (bytes.length < needed) {
      throw new ShortFrameException(needed, bytes.length);
    }
    int[] out = new int[block.count()];
    for (int i = 0; i < out.length; i++) {
      out[i] = (bytes[i / 8] >> (i % 8)) & 1;
    }
    return out;
  }

  @Override
  public void close() {
    try {
      client.disconnectAsync().toCompletableFuture().get(2, TimeUnit.SECONDS);
    } catch (Exception e) {
      // Closing a connection that already failed: nothing left to release.
    }
  }

  /** A response with fewer bytes than the request asked for. */
  static final class ShortFrameException extends Exception {
    ShortFrameException(int expected, int got) {
      super("short frame: expected " + expected + " data bytes, got " + got);
    }
  }
}
