package org.labmeter.collector;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A {@link CollectorChild} started with this JVM's class path; its output goes to a log file.
 * {@link #kill()} is SIGKILL: no shutdown hook, no flush, no DISCONNECT.
 */
public final class ChildProcess implements AutoCloseable {
  private final Process process;
  private final CompletableFuture<Integer> port = new CompletableFuture<>();
  private final Path log;

  private ChildProcess(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  /** Starts the child and waits until it listens. */
  public static ChildProcess start(Path log, String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx256m");
    command.add("-XX:TieredStopAtLevel=1");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(CollectorChild.class.getName());
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    ChildProcess child = new ChildProcess(p, log);
    Thread pump = new Thread(child::pump, "child-output-" + p.pid());
    pump.setDaemon(true);
    pump.start();
    int listening = child.port.get(60, TimeUnit.SECONDS);
    assertThat(listening).isPositive();
    return child;
  }

  private void pump() {
    try (BufferedReader in =
            new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        PrintWriter out =
            new PrintWriter(Files.newBufferedWriter(log, StandardCharsets.UTF_8), true)) {
      String line;
      while ((line = in.readLine()) != null) {
        out.println(line);
        if (line.startsWith(CollectorChild.READY)) {
          port.complete(Integer.parseInt(line.substring(CollectorChild.READY.length()).trim()));
        }
      }
    } catch (IOException e) {
      port.completeExceptionally(e);
    }
    port.completeExceptionally(
        new IllegalStateException("child exited before it listened; see " + log));
  }

  public int mqttPort() {
    return port.join();
  }

  /** SIGKILL, and wait until the process is gone. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    assertThat(process.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).isEqualTo(137); // 128 + SIGKILL
  }

  /** SIGTERM (a clean stop), SIGKILL if that takes over 20 s. */
  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      process.destroy();
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    }
  }
}
