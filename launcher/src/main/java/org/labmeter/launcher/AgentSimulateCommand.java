package org.labmeter.launcher;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.labmeter.agent.AgentMain;
import org.labmeter.agent.simulate.SimulatorKind;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code labmeter agent simulate}: an agent with simulated instruments, from the command line, for
 * demos and load tests. It writes the agent configuration it runs ({@code simulated-agent.yaml} in
 * the data folder) and runs it exactly as {@code agent run} would, so the key, outbox, batching,
 * signing and publishing are the real ones; only the readings are made up.
 */
@Command(
    name = "simulate",
    mixinStandardHelpOptions = true,
    description = {
      "Runs an agent whose instruments are simulated (for demos and load tests): real key, outbox,",
      "signatures and MQTT; made-up readings. The configuration it runs is written to",
      "<data-dir>/simulated-agent.yaml, so 'agent run -c' can run it again."
    })
final class AgentSimulateCommand implements Callable<Integer> {
  @Option(names = "--agent-id", required = true, description = "the agent's id (MQTT user name)")
  String agentId;

  @Option(names = "--uri", defaultValue = "tcp://127.0.0.1:1883", description = "the broker")
  String uri;

  @Option(
      names = "--password-file",
      required = true,
      description = "file holding the agent's MQTT password (from enrolment)")
  Path passwordFile;

  @Option(names = "--data-dir", required = true, description = "key, outbox and chain state")
  Path dataDir;

  @Option(
      names = "--instrument",
      required = true,
      description = {
        "ID=KIND[:SEED], repeatable; KIND is one of mass-spectrometer, nmr,",
        "electron-microscope, x-ray-diffractometer, icp-ms"
      })
  List<String> instruments = new ArrayList<>();

  @Option(
      names = "--pace",
      defaultValue = "normal",
      description = "normal (working-day rhythm) or compressed (several runs an hour)")
  String pace;

  @Option(
      names = "--backfill-seconds",
      defaultValue = "0",
      description = "history to produce at start before going live")
  long backfillSeconds;

  @Option(names = "--period-millis", defaultValue = "1000", description = "sample period")
  long periodMillis;

  @Override
  public Integer call() throws IOException {
    Path config = writeConfig();
    System.out.println("running " + config);
    AgentCommand.runUntilStopped(AgentMain.run(config));
    return 0;
  }

  Path writeConfig() throws IOException {
    if (!pace.equals("normal") && !pace.equals("compressed")) {
      throw new IllegalArgumentException("--pace: '" + pace + "'; allowed: normal, compressed");
    }
    StringBuilder yaml = new StringBuilder();
    yaml.append("# written by 'labmeter agent simulate'\n");
    yaml.append("agent:\n  id: ").append(agentId).append("\n  dataDir: ").append(quote(dataDir));
    yaml.append("\nmqtt:\n  uri: ").append(uri);
    yaml.append("\n  passwordFile: ").append(quote(passwordFile.toAbsolutePath()));
    yaml.append("\ninstruments:\n");
    for (String spec : instruments) {
      String[] idAndKind = spec.split("=", 2);
      if (idAndKind.length != 2) {
        throw new IllegalArgumentException(
            "--instrument: '" + spec + "' is not ID=KIND[:SEED], e.g. ms-1=mass-spectrometer:7");
      }
      String[] kindAndSeed = idAndKind[1].split(":", 2);
      String kind = kindAndSeed[0].toLowerCase(Locale.ROOT);
      if (SimulatorKind.fromConfigName(kind).isEmpty()) {
        throw new IllegalArgumentException(
            "--instrument: kind '"
                + kindAndSeed[0]
                + "'; allowed: "
                + String.join(", ", SimulatorKind.configNames()));
      }
      long seed = kindAndSeed.length > 1 ? Long.parseLong(kindAndSeed[1]) : 1;
      yaml.append("  - id: ").append(idAndKind[0]).append('\n');
      yaml.append("    source:\n      type: simulated\n      kind: ").append(kind);
      yaml.append("\n      seed: ").append(seed);
      yaml.append("\n      periodMillis: ").append(periodMillis);
      yaml.append("\n      pace: ").append(pace);
      yaml.append("\n      backfillSeconds: ").append(backfillSeconds).append('\n');
    }
    Files.createDirectories(dataDir);
    Path config = dataDir.resolve("simulated-agent.yaml");
    Files.writeString(config, yaml, StandardCharsets.UTF_8);
    return config;
  }

  private static String quote(Path p) {
    return "'" + p.toAbsolutePath().toString().replace("'", "''") + "'";
  }
}
