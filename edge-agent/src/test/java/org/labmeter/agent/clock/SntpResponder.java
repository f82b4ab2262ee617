package org.labmeter.agent.clock;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.ByteBuffer;

/**
 * A small SNTP server for tests: answers each client request in server mode, stratum 2, with its
 * clock running {@code offsetMillis} ahead of the JVM's.
 */
public final class SntpResponder implements AutoCloseable {
  private final DatagramSocket socket;
  private final Thread thread;
  private final long offsetMillis;

  public SntpResponder(long offsetMillis) throws SocketException {
    this.offsetMillis = offsetMillis;
    this.socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    this.thread = new Thread(this::serve, "sntp-responder");
    thread.setDaemon(true);
    thread.start();
  }

  public int port() {
    return socket.getLocalPort();
  }

  private void serve() {
    byte[] in = new byte[48];
    while (!socket.isClosed()) {
      try {
        DatagramPacket request = new DatagramPacket(in, in.length);
        socket.receive(request);
        long received = System.currentTimeMillis() + offsetMillis;
        byte[] out = new byte[48];
        ByteBuffer buf = ByteBuffer.wrap(out);
        out[0] = (byte) (0 << 6 | 4 << 3 | 4); // LI 0, version 4, mode 4 (server)
        out[1] = 2; // stratum
        buf.putLong(24, ByteBuffer.wrap(in).getLong(40)); // originate = client's transmit
        buf.putLong(32, SntpClient.toNtp(received));
        buf.putLong(40, SntpClient.toNtp(System.currentTimeMillis() + offsetMillis));
        socket.send(new DatagramPacket(out, out.length, request.getSocketAddress()));
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  @Override
  public void close() throws InterruptedException {
    socket.close();
    thread.join(2_000);
  }
}
