package org.labmeter.launcher.bench.fleet;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

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

  public static void load(
      String host,
      int port,
      int agents,
      int rate,
      int seconds,
      int hold,
      Path file,
      boolean credentials,
      boolean drain,
      List<int[]> windows,
      boolean timeline,
      PrintStream out)
      throws Exception {
    if (rate > 0 && file == null) {
      throw new IllegalArgumentException("--file is required when --rate is above 0");
    }
    new FleetLoad(
            new FleetLoad.Settings(
                host,
                port,
                agents,
                rate,
                seconds,
                hold,
                file,
                credentials,
                drain,
                windows,
                timeline),
            out)
        .run();
  }
}
