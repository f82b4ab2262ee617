package org.labmeter.collector.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A real Mosquitto broker (Debian package {@code mosquitto}) on a free loopback port, anonymous, as
 * the external broker of bridge mode. A missing binary fails the test.
 */
final class BridgeBroker implements AutoCloseable {
  static final Path BINARY = Path.of("/usr/sbin/mosquitto");

  private final Path dir;
  private final int port;
  private final Process process;

  private BridgeBroker(Path dir, int port, Process process) {
    this.dir = dir;
    this.port = port;
    this.process = process;
  }

  static BridgeBroker start(Path dir) throws IOException {
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    return start(dir, port, false);
  }

  /**
   * With {@code persistence}, sessions (subscriptions, queued messages) are saved in {@code dir} on
   * a clean shutdown and every 10 s, and restored by the next broker started on the same {@code
   * dir}, as docs/agent-install.md asks of a production broker.
   */
  static BridgeBroker start(Path dir, int port, boolean persistence) throws IOException {
    assertThat(Files.isExecutable(BINARY))
        .as(BINARY + " is missing; install the Debian package: apt-get install -y mosquitto")
        .isTrue();
    Files.createDirectories(dir);
    Files.writeString(
        dir.resolve("mosquitto.conf"),
        "listener "
            + port
            + " 127.0.0.1\n"
            + "allow_anonymous true\n"
            + (persistence
                ? "persistence true\npersistence_location "
                    + dir.toAbsolutePath()
                    + "/\nautosave_interval 10\n"
                : "persistence false\n")
            + "max_queued_messages 100000\n"
            + "log_dest file "
            + dir.resolve("mosquitto.log").toAbsolutePath()
            + "\n"
            + "user "
            + System.getProperty("user.name")
            + "\n");
    Process process =
        new ProcessBuilder(BINARY.toString(), "-c", dir.resolve("mosquitto.conf").toString())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("mosquitto.out").toFile()))
            .start();
    BridgeBroker broker = new BridgeBroker(dir, port, process);
    await("mosquitto listening on " + port)
        .atMost(Duration.ofSeconds(15))
        .pollInterval(Duration.ofMillis(50))
        .until(broker::accepting);
    return broker;
  }

  int port() {
    return port;
  }

  private boolean accepting() throws IOException {
    if (!process.isAlive()) {
      throw new IllegalStateException(
          "mosquitto exited with "
              + process.exitValue()
              + ": "
              + Files.readString(dir.resolve("mosquitto.out")));
    }
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 200);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  String uri() {
    return "tcp://127.0.0.1:" + port;
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
    }
  }
}
