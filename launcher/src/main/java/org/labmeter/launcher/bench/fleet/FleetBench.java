package org.labmeter.launcher.bench.fleet;

import java.io.PrintStream;
import java.nio.file.Path;

/** Entry points of the fleet benchmark for the command line. */
public final class FleetBench {
  private FleetBench() {}

  public static void prepare(
      Path file, int agents, int batchesPerAgent, int samples, PrintStream out) throws Exception {
    FleetBatches.prepare(file, agents, batchesPerAgent, samples, out);
  }

  public static void serve(FleetServer.Settings settings, PrintStream out) throws Exception {
    new FleetServer(settings, out).run();
  }

  public static void load(FleetLoad.Settings settings, PrintStream out) throws Exception {
    if (settings.rate() > 0 && settings.batchFile() == null) {
      throw new IllegalArgumentException("--file is required when --rate is above 0");
    }
    new FleetLoad(settings, out).run();
  }
}
