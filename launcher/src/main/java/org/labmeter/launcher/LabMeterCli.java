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
      AdminCommand.class,
      BenchCommand.class,
      BenchFleetCommand.class,
      VerifyCommand.class,
      QuarantineCommand.class,
      CommandLine.HelpCommand.class
    })
public final class LabMeterCli implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  public static void main(String[] args) {
    CommandLine cli = new CommandLine(new LabMeterCli());
    cli.setExecutionExceptionHandler(
        (e, command, parsed) -> {
          // One readable line per cause for the operator; the stack trace only on request.
          command.getErr().println("labmeter " + command.getCommandName() + ": " + e.getMessage());
          for (Throwable c = e.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
            if (c.getMessage() != null && !e.getMessage().contains(c.getMessage())) {
              command.getErr().println("  caused by: " + c.getMessage());
            }
          }
          if (Boolean.getBoolean("labmeter.stacktrace")) {
            e.printStackTrace(command.getErr());
          }
          return 1;
        });
    System.exit(cli.execute(args));
  }
}
