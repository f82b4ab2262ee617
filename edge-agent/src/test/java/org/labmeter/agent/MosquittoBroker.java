package org.labmeter.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A real Mosquitto broker from the Debian package, on a free loopback port, with persistence so
 * that a persistent subscriber's queue survives a restart. A missing binary fails the test: the
 * broker is part of what is tested, not optional.
 */
final class MosquittoBroker implements AutoCloseable {
  static final Path BINARY = Path.of("/usr/sbin/mosquitto");

  private final Path dir;
  private final int port;
  private Process process;

  private MosquittoBroker(Path dir, int port) {
    this.dir = dir;
    this.port = port;
  }

  static MosquittoBroker start(Path dir) throws IOException {
    assertThat(Files.isExecutable(BINARY))
        .as(BINARY + " is missing; install the Debian package: apt-get install -y mosquitto")
        .isTrue();
    MosquittoBroker broker = new MosquittoBroker(dir, freePort());
    broker.writeConfig();
    broker.launch();
    return broker;
  }

  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  String uri() {
    return "tcp://127.0.0.1:" + port;
  }

  private void writeConfig() throws IOException {
    Files.createDirectories(dir);
    String config =
        "listener "
            + port
            + " 127.0.0.1\n"
            + "allow_anonymous true\n"
            + "persistence true\n"
            + "persistence_location "
            + dir.toAbsolutePath()
            + "/\n"
            + "max_queued_messages 100000\n"
            + "log_dest file "
            + dir.resolve("mosquitto.log").toAbsolutePath()
            + "\n"
            + "user "
            + System.getProperty("user.name")
            + "\n";
    Files.writeString(dir.resolve("mosquitto.conf"), config);
  }

  /** Starts it again on the same port, with the sessions it saved when stopped. */
  void restart() throws IOException {
    launch();
  }

  private void launch() throws IOException {
    process =
        new ProcessBuilder(BINARY.toString(), "-c", dir.resolve("mosquitto.conf").toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("mosquitto.out").toFile())
            .start();
    await("mosquitto listening on " + port)
        .atMost(Duration.ofSeconds(15))
        .pollInterval(Duration.ofMillis(50))
        .until(
            () -> {
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
            });
  }

  /** SIGTERM, so that Mosquitto writes its persistence file on the way out. */
  void stop() throws InterruptedException {
    if (process == null) {
      return;
    }
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
    }
    process = null;
  }

  @Override
  public void close() throws InterruptedException {
    stop();
  }
}
