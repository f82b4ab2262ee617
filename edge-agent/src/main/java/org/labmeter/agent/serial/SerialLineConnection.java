package org.labmeter.agent.serial;

import com.fazecast.jSerialComm.SerialPort;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.function.BooleanSupplier;
import org.labmeter.agent.config.SerialLine;

/**
 * One open serial port, through jSerialComm, read and written in lines. Blocking calls; used only
 * by the thread of the port's poller.
 *
 * <p>Bytes are decoded as ISO-8859-1, one character per byte, so that a parser sees every byte of a
 * garbled reply and can call it garbage instead of losing it in a decoder.
 */
final class SerialLineConnection implements AutoCloseable {
  /** Longest reply line kept; a longer run of bytes without terminator is cut here. */
  static final int MAX_LINE_BYTES = 1024;

  /** How long one read call may block, so that a stop is noticed quickly. */
  private static final int READ_SLICE_MILLIS = 50;

  private final SerialLine line;
  private final SerialPort port;
  private final byte[] terminator;
  private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
  private final byte[] chunk = new byte[256];

  private SerialLineConnection(SerialLine line, SerialPort port) {
    this.line = line;
    this.port = port;
    this.terminator = line.terminator().text().getBytes(StandardCharsets.ISO_8859_1);
  }

  /** Opens the port with the line's settings. */
  static SerialLineConnection open(SerialLine line) throws IOException {
    SerialPort port;
    try {
      port = SerialPort.getCommPort(line.port());
    } catch (RuntimeException e) {
      throw new IOException("no serial port " + line.port() + ": " + e.getMessage(), e);
    }
    port.setComPortParameters(
        line.baudRate(),
        line.dataBits(),
        line.stopBits() == 2 ? SerialPort.TWO_STOP_BITS : SerialPort.ONE_STOP_BIT,
        switch (line.parity()) {
          case "even" -> SerialPort.EVEN_PARITY;
          case "odd" -> SerialPort.ODD_PARITY;
          default -> SerialPort.NO_PARITY;
        });
    port.setFlowControl(
        switch (line.flowControl()) {
          case NONE -> SerialPort.FLOW_CONTROL_DISABLED;
          case RTS_CTS -> SerialPort.FLOW_CONTROL_RTS_ENABLED | SerialPort.FLOW_CONTROL_CTS_ENABLED;
          case DTR_DSR -> SerialPort.FLOW_CONTROL_DTR_ENABLED | SerialPort.FLOW_CONTROL_DSR_ENABLED;
          case XON_XOFF ->
              SerialPort.FLOW_CONTROL_XONXOFF_IN_ENABLED
                  | SerialPort.FLOW_CONTROL_XONXOFF_OUT_ENABLED;
        });
    port.setComPortTimeouts(SerialPort.TIMEOUT_READ_SEMI_BLOCKING, READ_SLICE_MILLIS, 0);
    if (!port.openPort()) {
      throw new IOException(
          "cannot open serial port "
              + line.port()
              + " (error "
              + port.getLastErrorCode()
              + " at "
              + port.getLastErrorLocation()
              + ")");
    }
    return new SerialLineConnection(line, port);
  }

  /** Discards what arrived unasked, then sends {@code text} and the terminator. */
  void send(String text) throws IOException {
    discardInput();
    byte[] bytes = (text + line.terminator().text()).getBytes(StandardCharsets.ISO_8859_1);
    int written = port.writeBytes(bytes, bytes.length);
    if (written != bytes.length) {
      throw new IOException(
          "wrote " + written + " of " + bytes.length + " bytes to " + line.port());
    }
  }

  /**
   * The next line without its terminator, or {@code null} when none was complete within {@code
   * timeoutMillis} or {@code keepGoing} turned false. A line longer than {@link #MAX_LINE_BYTES} is
   * returned cut, for the parser to refuse.
   *
   * @throws IOException when the port failed (unplugged, peer gone)
   */
  String readLine(long timeoutMillis, BooleanSupplier keepGoing) throws IOException {
    long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
    while (true) {
      String complete = takeLine();
      if (complete != null) {
        return complete;
      }
      if (System.nanoTime() - deadline >= 0 || !keepGoing.getAsBoolean()) {
        return null;
      }
      int n = port.readBytes(chunk, chunk.length);
      if (n < 0) {
        throw new IOException("reading " + line.port() + " failed (error " + n + ")");
      }
      pending.write(chunk, 0, n);
    }
  }

  private String takeLine() {
    byte[] buf = pending.toByteArray();
    int end = indexOf(buf, terminator);
    if (end < 0 && buf.length < MAX_LINE_BYTES) {
      return null;
    }
    int cut = end < 0 ? MAX_LINE_BYTES : end;
    int skip = end < 0 ? MAX_LINE_BYTES : end + terminator.length;
    if (end > 0 && terminator.length == 1 && terminator[0] == '\n' && buf[end - 1] == '\r') {
      cut--; // a CRLF instrument on a line configured for LF
    }
    String text = new String(buf, 0, cut, StandardCharsets.ISO_8859_1);
    pending.reset();
    pending.write(buf, skip, buf.length - skip);
    return text;
  }

  private void discardInput() {
    pending.reset();
    while (port.bytesAvailable() > 0) {
      if (port.readBytes(chunk, Math.min(chunk.length, port.bytesAvailable())) <= 0) {
        return;
      }
    }
  }

  private static int indexOf(byte[] buf, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= buf.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (buf[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  @Override
  public void close() {
    port.closePort();
  }
}
