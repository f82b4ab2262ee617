package org.labmeter.agent.clock;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Clock;

/**
 * A Simple Network Time Protocol client (RFC 4330): one client-mode request over UDP, and the
 * offset {@code ((T2 - T1) + (T3 - T4)) / 2} from the four timestamps. A reply that does not echo
 * our transmit time, is not in server mode, carries stratum 0 (a kiss-o'-death) or says the server
 * is unsynchronised is refused with the reason.
 */
public final class SntpClient {
  static final int PACKET_BYTES = 48;

  /** Seconds from 1900-01-01 (NTP era 0) to 1970-01-01. */
  static final long NTP_TO_UNIX_SECONDS = 2_208_988_800L;

  private static final int VERSION = 4;
  private static final int MODE_CLIENT = 3;
  private static final int MODE_SERVER = 4;
  private static final int MODE_BROADCAST = 5;
  private static final int LEAP_UNSYNCHRONISED = 3;

  private final Clock clock;

  public SntpClient(Clock clock) {
    this.clock = clock;
  }

  /** Asks one server; blocks for at most {@code timeoutMillis}. */
  public OffsetMeasurement query(String host, int port, int timeoutMillis) {
    String source = host + ":" + port;
    try (DatagramSocket socket = new DatagramSocket()) {
      socket.setSoTimeout(timeoutMillis);
      InetSocketAddress server = new InetSocketAddress(host, port);
      if (server.isUnresolved()) {
        return new OffsetMeasurement.Failed(source, "cannot resolve " + host);
      }
      byte[] request = new byte[PACKET_BYTES];
      request[0] = (byte) (VERSION << 3 | MODE_CLIENT);
      long t1 = clock.millis();
      long t1Ntp = toNtp(t1);
      ByteBuffer.wrap(request).putLong(40, t1Ntp);
      socket.send(new DatagramPacket(request, request.length, server));
      byte[] reply = new byte[PACKET_BYTES];
      DatagramPacket packet = new DatagramPacket(reply, reply.length);
      socket.receive(packet);
      long t4 = clock.millis();
      return decode(source, reply, packet.getLength(), t1Ntp, t1, t4);
    } catch (SocketTimeoutException e) {
      return new OffsetMeasurement.Failed(source, "no reply within " + timeoutMillis + " ms");
    } catch (IOException | IllegalArgumentException e) {
      return new OffsetMeasurement.Failed(source, e.toString());
    }
  }

  static OffsetMeasurement decode(
      String source, byte[] reply, int length, long sentNtp, long t1, long t4) {
    if (length < PACKET_BYTES) {
      return new OffsetMeasurement.Failed(source, "short reply of " + length + " bytes");
    }
    ByteBuffer buf = ByteBuffer.wrap(reply);
    int leap = (reply[0] >> 6) & 0x3;
    int mode = reply[0] & 0x7;
    int stratum = reply[1] & 0xff;
    if (mode != MODE_SERVER && mode != MODE_BROADCAST) {
      return new OffsetMeasurement.Failed(source, "reply in mode " + mode + ", not server mode");
    }
    if (stratum == 0) {
      return new OffsetMeasurement.Failed(source, "kiss-o'-death (stratum 0)");
    }
    if (leap == LEAP_UNSYNCHRONISED) {
      return new OffsetMeasurement.Failed(source, "server not synchronised (leap indicator 3)");
    }
    if (buf.getLong(24) != sentNtp) {
      return new OffsetMeasurement.Failed(source, "reply does not echo our request");
    }
    long t2 = fromNtp(buf.getLong(32));
    long t3 = fromNtp(buf.getLong(40));
    if (buf.getLong(40) == 0) {
      return new OffsetMeasurement.Failed(source, "reply has no transmit time");
    }
    return new OffsetMeasurement.Measured(Math.floorDiv((t2 - t1) + (t3 - t4), 2), source);
  }

  /** Unix milliseconds to a 64-bit NTP timestamp (32 bits seconds, 32 bits fraction). */
  public static long toNtp(long unixMillis) {
    long seconds = Math.floorDiv(unixMillis, 1000) + NTP_TO_UNIX_SECONDS;
    long millis = Math.floorMod(unixMillis, 1000);
    long fraction = (millis << 32) / 1000;
    return seconds << 32 | fraction;
  }

  /** A 64-bit NTP timestamp (era 0, until 2036) to Unix milliseconds, rounded to the nearest. */
  public static long fromNtp(long ntp) {
    long seconds = (ntp >>> 32) - NTP_TO_UNIX_SECONDS;
    long fraction = ntp & 0xffff_ffffL;
    return seconds * 1000 + ((fraction * 1000 + (1L << 31)) >>> 32);
  }
}
