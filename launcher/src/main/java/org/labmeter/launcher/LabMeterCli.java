package org.labmeter.launcher;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code labmeter} command line: one entry point for the demo and every tool. */
@Command(
    name = "labmeter",
    mixinStandardHelpOptions = true,
    version = "LabMeter 0.1.0",
    description = "Verified machine-hours of shared research instruments.",
    subcommands = {
      DemoCommand.class,
      AgentCommand.class,
      ServeCommand.class,
      RegistryCommand.class,
      BenchCommand.class,
      VerifyCommand.class,
      CommandLine.HelpCommand.class
    })
public final class LabMeterCli implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new LabMeterCli()).execute(args));
  }
}
