package org.labmeter.collector;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * A bare MQTT 3.1.1 peer over a plain socket: writes frames built by hand (well-formed or not) and
 * reports what the server did with the connection. No client library stands between the test's
 * bytes and the listener.
 */
public final class RawMqtt implements AutoCloseable {
  /** CONNACK, remaining length 2, no session present; the return code follows. */
  private static final int[] CONNACK_PREFIX = {0x20, 0x02, 0x00};

  private final Socket socket;
  private final InputStream in;

  public RawMqtt(int port) throws IOException {
    socket = new Socket("127.0.0.1", port);
    socket.setSoTimeout(15_000); // bounds every read below: a server that neither answers nor
    // closes fails the test instead of hanging it
    in = socket.getInputStream();
  }

  public RawMqtt send(byte[] frame) throws IOException {
    socket.getOutputStream().write(frame);
    socket.getOutputStream().flush();
    return this;
  }

  /** Reads a CONNACK and returns its return code. */
  public int readConnAck() throws IOException {
    for (int expected : CONNACK_PREFIX) {
      int b = in.read();
      if (b != expected) {
        throw new IOException("expected CONNACK byte " + expected + ", got " + b);
      }
    }
    return in.read();
  }

  /**
   * True when the server closed the connection before sending one more byte (end of stream or a
   * reset because it closed with our bytes still unread); false when it sent something.
   */
  public boolean closedWithoutReply() throws IOException {
    try {
      return in.read() == -1;
    } catch (SocketTimeoutException e) {
      throw new AssertionError("the server neither answered nor closed within 15 s", e);
    } catch (SocketException e) {
      return true; // connection reset
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }

  // ---- frames ----

  /**
   * A CONNECT of MQTT 3.1.1 with clean session and a keep-alive of 30 s; {@code user} and {@code
   * password} are left out (and their flags cleared) when null.
   */
  public static byte[] connect(String clientId, String user, String password) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    writeString(body, "MQTT"); // protocol name
    body.write(0x04); // protocol level 4 = 3.1.1
    int flags = 0x02; // clean session
    if (user != null) {
      flags |= 0x80; // user name present
    }
    if (password != null) {
      flags |= 0x40; // password present
    }
    body.write(flags);
    body.write(0x00); // keep-alive MSB
    body.write(30); // keep-alive LSB: 30 s
    writeString(body, clientId);
    if (user != null) {
      writeString(body, user);
    }
    if (password != null) {
      writeString(body, password);
    }
    return frame(0x10, body.toByteArray()); // CONNECT
  }

  /** A QoS 1 PUBLISH with packet id 1 and the given topic bytes, taken as they are. */
  public static byte[] publishQos1(byte[] topic, byte[] payload) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.write(topic.length >> 8); // topic length MSB
    body.write(topic.length & 0xFF); // topic length LSB
    body.writeBytes(topic); // topic name
    body.write(0x00); // packet id MSB
    body.write(0x01); // packet id LSB
    body.writeBytes(payload);
    return frame(0x32, body.toByteArray()); // PUBLISH, DUP 0, QoS 1, RETAIN 0
  }

  public static byte[] publishQos1(String topic, byte[] payload) {
    return publishQos1(topic.getBytes(StandardCharsets.UTF_8), payload);
  }

  /** A fixed header byte, the remaining length as MQTT's variable-length integer, the body. */
  public static byte[] frame(int header, byte[] body) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(header);
    int length = body.length;
    do {
      int digit = length % 128;
      length /= 128;
      out.write(length > 0 ? digit | 0x80 : digit);
    } while (length > 0);
    out.writeBytes(body);
    return out.toByteArray();
  }

  private static void writeString(ByteArrayOutputStream out, String s) {
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    out.write(bytes.length >> 8);
    out.write(bytes.length & 0xFF);
    out.writeBytes(bytes);
  }
}
