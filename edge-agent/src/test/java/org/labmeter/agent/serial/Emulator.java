package org.labmeter.agent.serial;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A Python device emulator from {@code src/test/resources/emulators}, steered through stdin. */
public final class Emulator implements AutoCloseable {
  private static final Path DIR = Path.of("src/test/resources/emulators");
  private final Process process;
  private final OutputStream control;
  private final Path log;

  private Emulator(Process process, Path log) {
    this.process = process;
    this.control = process.getOutputStream();
    this.log = log;
  }

  public static Emulator start(String script, String... args) throws IOException {
    assertThat(Path.of("/usr/bin/python3")).as("needs /usr/bin/python3").exists();
    List<String> command = new ArrayList<>(List.of("/usr/bin/python3", script));
    command.addAll(List.of(args));
    Path log = Files.createTempFile(script, ".log");
    Process p =
        new ProcessBuilder(command)
            .directory(DIR.toFile())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    return new Emulator(p, log);
  }

  /** Waits until the emulator printed {@code word} (it prints one once its port is open). */
  public Emulator awaitOutput(String word) {
    await()
        .atMost(Duration.ofSeconds(15))
        .untilAsserted(
            () -> {
              assertThat(process.isAlive()).as("emulator exited; see " + log).isTrue();
              assertThat(Files.readString(log)).contains(word);
            });
    return this;
  }

  /** Sends one control line (see the script's header). */
  public void command(String line) throws IOException {
    control.write((line + "\n").getBytes(StandardCharsets.US_ASCII));
    control.flush();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  @Override
  public void close() {
    process.destroy();
  }
}
