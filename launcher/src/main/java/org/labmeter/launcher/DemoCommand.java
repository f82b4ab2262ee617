package org.labmeter.launcher;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.labmeter.agent.simulate.Pace;
import org.labmeter.launcher.demo.DemoOptions;
import org.labmeter.launcher.demo.DemoSystem;
import org.labmeter.launcher.demo.FirstNumbers;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Runs the whole system on embedded defaults: QuestDB, H2, the MQTT collector, the API with",
      "its live page, and five simulated instruments with their agents. Ctrl-C stops it cleanly;",
      "a second start reuses the data folder."
    })
final class DemoCommand implements Runnable {
  @Option(
      names = "--data-dir",
      defaultValue = "data",
      description = "data folder (default: ${DEFAULT-VALUE})")
  Path dataDir;

  @Option(
      names = "--host",
      defaultValue = "127.0.0.1",
      description = "interface to bind (default: ${DEFAULT-VALUE})")
  String host;

  @Option(
      names = "--api-port",
      defaultValue = "8080",
      description = "API and live page (default: ${DEFAULT-VALUE})")
  int apiPort;

  @Option(
      names = "--mqtt-port",
      defaultValue = "1883",
      description = "collector's MQTT listener (default: ${DEFAULT-VALUE})")
  int mqttPort;

  @Option(
      names = "--store-http-port",
      defaultValue = "9000",
      description = "embedded QuestDB HTTP and console (default: ${DEFAULT-VALUE})")
  int storeHttpPort;

  @Option(
      names = "--store-pg-port",
      defaultValue = "8812",
      description = "embedded QuestDB PostgreSQL wire (default: ${DEFAULT-VALUE})")
  int storePgPort;

  @Option(
      names = "--backfill-hours",
      defaultValue = "1",
      description =
          "history each simulated instrument sends on the first start (default: ${DEFAULT-VALUE})")
  int backfillHours;

  @Option(
      names = "--pace",
      defaultValue = "COMPRESSED",
      description =
          "how fast simulated instruments change state: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE})")
  Pace pace;

  @Override
  public void run() {
    DemoOptions options =
        DemoOptions.defaults(dataDir, host, apiPort, mqttPort, storeHttpPort, storePgPort)
            .withHistory(Duration.ofHours(backfillHours), pace);
    long started = System.nanoTime();
    DemoSystem system = DemoSystem.start(options);
    AtomicReference<DemoSystem> running = new AtomicReference<>(system);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  System.out.println("\nStopping LabMeter demo ...");
                  running.get().close();
                  stopped.countDown();
                },
                "demo-shutdown"));
    String base = "http://" + displayHost(host) + ":" + system.apiPort();
    System.out.printf(
        "%nLabMeter demo is running (%s start, data in %s).%n"
            + "  Live instruments   %s/#token=%s%n"
            + "  API                %s/api/v1/instruments%n"
            + "  Admin token        %s%n"
            + "                     (curl -H 'Authorization: Bearer <token>' ...; also in %s)%n"
            + "  Usage, one         %s/api/v1/instruments/nmr-600/usage%n"
            + "  Health, metrics    %s/health   %s/metrics%n"
            + "  MQTT (collector)   tcp://%s:%d%n"
            + "  QuestDB console    %s%n"
            + "Press Ctrl-C to stop.%n%n",
        system.firstStart() ? "first" : "repeated",
        dataDir.toAbsolutePath(),
        base,
        system.adminToken(),
        base,
        system.adminToken(),
        dataDir.toAbsolutePath().resolve("admin-token"),
        base,
        base,
        base,
        displayHost(host),
        system.mqttPort(),
        system.storeHttpUrl());
    new FirstNumbers(system.usageService(), system.fleet(), system::caughtUp, System.out)
        .printWhenReady(Duration.ofSeconds(90), started);
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static String displayHost(String host) {
    return host.equals("0.0.0.0") || host.equals("127.0.0.1") ? "localhost" : host;
  }
}
