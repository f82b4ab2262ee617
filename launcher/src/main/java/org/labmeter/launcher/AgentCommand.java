package org.labmeter.launcher;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import org.labmeter.agent.AgentMain;
import org.labmeter.agent.EdgeAgent;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "agent",
    mixinStandardHelpOptions = true,
    description = "The edge agent: run it, or manage its signing key.",
    subcommands = {
      AgentCommand.Run.class,
      AgentCommand.Keygen.class,
      AgentCommand.Fingerprint.class
    })
final class AgentCommand implements Runnable {
  @Override
  public void run() {
    new picocli.CommandLine(this).usage(System.out);
  }

  @Command(
      name = "run",
      mixinStandardHelpOptions = true,
      description = "Runs an agent from its YAML configuration until stopped.")
  static final class Run implements Runnable {
    @Option(
        names = {"-c", "--config"},
        required = true,
        description = "the agent's YAML file")
    Path config;

    @Override
    public void run() {
      EdgeAgent agent = AgentMain.run(config);
      CountDownLatch stopped = new CountDownLatch(1);
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    agent.close();
                    stopped.countDown();
                  },
                  "agent-shutdown"));
      try {
        stopped.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Command(
      name = "keygen",
      mixinStandardHelpOptions = true,
      description =
          "Creates the agent's Ed25519 key in its data folder if missing; prints the fingerprint.")
  static final class Keygen implements Runnable {
    @Option(names = "--data-dir", required = true, description = "the agent's data folder")
    Path dataDir;

    @Override
    public void run() {
      AgentMain.keygen(dataDir, System.out);
    }
  }

  @Command(
      name = "fingerprint",
      mixinStandardHelpOptions = true,
      description = "Prints the fingerprint of the agent's existing public key.")
  static final class Fingerprint implements Runnable {
    @Option(names = "--data-dir", required = true, description = "the agent's data folder")
    Path dataDir;

    @Override
    public void run() {
      AgentMain.fingerprint(dataDir, System.out);
    }
  }
}
