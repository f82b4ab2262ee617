package org.labmeter.agent.serial;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Two pseudo-terminals joined by socat, standing in for a serial cable: what is written to one end
 * is read at the other. The ends are symlinks {@code a} and {@code b} in a fresh directory.
 */
public final class SocatPtyPair implements AutoCloseable {
  private final Process socat;
  private final Path a;
  private final Path b;

  private SocatPtyPair(Process socat, Path a, Path b) {
    this.socat = socat;
    this.a = a;
    this.b = b;
  }

  public static SocatPtyPair start() throws IOException {
    assertThat(Path.of("/usr/bin/socat")).as("needs socat (apt-get install -y socat)").exists();
    Path dir = Files.createTempDirectory("labmeter-pty");
    Path a = dir.resolve("a");
    Path b = dir.resolve("b");
    Process socat =
        new ProcessBuilder("/usr/bin/socat", "pty,raw,echo=0,link=" + a, "pty,raw,echo=0,link=" + b)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("socat.log").toFile())
            .start();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> {
              assertThat(socat.isAlive()).as("socat exited").isTrue();
              return Files.exists(a) && Files.exists(b);
            });
    return new SocatPtyPair(socat, a, b);
  }

  /** The end the agent opens. */
  public Path a() {
    return a;
  }

  /** The end the emulated device opens. */
  public Path b() {
    return b;
  }

  @Override
  public void close() {
    socat.destroy();
  }
}
