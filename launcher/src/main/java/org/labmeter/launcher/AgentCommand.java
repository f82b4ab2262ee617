package org.labmeter.launcher;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import org.labmeter.agent.AgentMain;
import org.labmeter.agent.EdgeAgent;
import org.labmeter.agent.config.AgentConfig;
import org.labmeter.agent.config.AgentConfigLoader;
import org.labmeter.agent.config.InstrumentConfig;
import org.labmeter.agent.config.ModbusSource;
import org.labmeter.agent.config.SerialSource;
import org.labmeter.agent.modbus.ModbusProbe;
import org.labmeter.agent.modbus.PollOutcome;
import org.labmeter.agent.serial.SerialProbe;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "agent",
    mixinStandardHelpOptions = true,
    description = "The edge agent: run it, probe a device, simulate instruments, manage its key.",
    subcommands = {
      AgentCommand.Run.class,
      AgentCommand.Probe.class,
      AgentSimulateCommand.class,
      AgentCommand.Keygen.class,
      AgentCommand.Fingerprint.class
    })
final class AgentCommand implements Runnable {
  @Override
  public void run() {
    new picocli.CommandLine(this).usage(System.out);
  }

  /** Runs the agent until the process is asked to stop (Ctrl-C, SIGTERM), then closes it. */
  static void runUntilStopped(EdgeAgent agent) {
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
      runUntilStopped(AgentMain.run(config));
    }
  }

  @Command(
      name = "probe",
      mixinStandardHelpOptions = true,
      description = {
        "Polls one configured Modbus device once and prints every decoded value with its raw",
        "registers, or queries a serial instrument (*IDN?, then its status query) and prints",
        "each raw reply and the decoded state, for commissioning. Publishes nothing."
      })
  static final class Probe implements java.util.concurrent.Callable<Integer> {
    @Option(
        names = {"-c", "--config"},
        required = true,
        description = "the agent's YAML file")
    Path config;

    @picocli.CommandLine.Parameters(index = "0", description = "the instrument id in that file")
    String instrument;

    @Override
    public Integer call() {
      AgentConfig loaded = AgentConfigLoader.load(config);
      InstrumentConfig found =
          loaded.instruments().stream()
              .filter(i -> i.id().equals(instrument))
              .findFirst()
              .orElse(null);
      if (found == null) {
        System.err.printf(
            "%s: no instrument '%s'; configured: %s%n",
            config, instrument, loaded.instruments().stream().map(InstrumentConfig::id).toList());
        return 2;
      }
      if (found.source() instanceof SerialSource serial) {
        SerialProbe.Result result = SerialProbe.probe(serial);
        result.lines().forEach(System.out::println);
        return result.usable() ? 0 : 1;
      }
      if (!(found.source() instanceof ModbusSource modbus)) {
        System.err.printf(
            "%s: instrument '%s' has a %s source; probe reads Modbus and serial instruments%n",
            config, instrument, found.source().type());
        return 2;
      }
      ModbusProbe.Result result = ModbusProbe.probe(modbus);
      result.lines().forEach(System.out::println);
      return result.outcome() instanceof PollOutcome.Read ? 0 : 1;
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
