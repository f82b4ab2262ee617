package org.labmeter.launcher;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.labmeter.launcher.bench.fleet.FleetBench;
import org.labmeter.launcher.bench.fleet.FleetLoad;
import org.labmeter.launcher.bench.fleet.FleetServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "bench-fleet",
    mixinStandardHelpOptions = true,
    description = {
      "Fleet ingest benchmark in two JVMs (bench/fleet-ingest.sh drives it):",
      "  prepare  sign the batches of a whole run into a file, before any clock starts",
      "  serve    collector + embedded QuestDB knowing every fleet agent; commands on stdin",
      "  load     one MQTT connection per agent, constant offered rate, PUBACK latency"
    },
    subcommands = {
      BenchFleetCommand.Prepare.class,
      BenchFleetCommand.Serve.class,
      BenchFleetCommand.Load.class
    })
final class BenchFleetCommand implements Runnable {
  @Override
  public void run() {
    new picocli.CommandLine(this).usage(System.out);
  }

  @Command(name = "prepare", mixinStandardHelpOptions = true, description = "Sign the batches.")
  static final class Prepare implements Callable<Integer> {
    @Option(names = "--agents", required = true, description = "simulated agents")
    int agents;

    @Option(names = "--batches-per-agent", required = true, description = "chain length each")
    int batchesPerAgent;

    @Option(names = "--samples", defaultValue = "10", description = "samples per batch")
    int samples;

    @Option(names = "--file", required = true, description = "where the batches go")
    Path file;

    @Override
    public Integer call() throws Exception {
      FleetBench.prepare(file, agents, batchesPerAgent, samples, System.out);
      return 0;
    }
  }

  @Command(
      name = "serve",
      mixinStandardHelpOptions = true,
      description = "Collector side; reads heap|stats|count|store-down|store-up|quit on stdin.")
  static final class Serve implements Callable<Integer> {
    @Option(names = "--agents", required = true, description = "fleet agents to enrol")
    int agents;

    @Option(names = "--port", defaultValue = "0", description = "MQTT port (0: a free one)")
    int port;

    @Option(names = "--data", required = true, description = "folder for QuestDB and the spool")
    Path data;

    @Option(names = "--spool", description = "spool to disk while the store is down")
    boolean spool;

    @Option(
        names = "--write-behind",
        description = "every group fsync'd to the spool and acknowledged there (implies --spool)")
    boolean writeBehind;

    @Option(
        names = "--replay-max-rate",
        defaultValue = "0",
        description = "most batches/s the spool replays to the store, 0 for no limit")
    int replayMaxRate;

    @Option(
        names = "--in-process-store",
        description =
            "write batches through the embedded QuestDB's WAL writers, as labmeter serve does"
                + " with an embedded store (default: line protocol over HTTP)")
    boolean inProcessStore;

    @Option(
        names = "--spool-max-mb",
        defaultValue = "1024",
        description =
            "the spool's quota in MiB (a 10-minute outage at 5,000/s spools about 1,210 MiB;"
                + " back-pressure starts at 80 %)")
    long spoolMaxMb;

    @Override
    public Integer call() throws Exception {
      FleetBench.serve(
          new FleetServer.Settings(
              agents,
              port,
              data,
              spool || writeBehind,
              writeBehind,
              replayMaxRate,
              inProcessStore,
              spoolMaxMb << 20),
          System.out);
      return 0;
    }
  }

  @Command(name = "load", mixinStandardHelpOptions = true, description = "Load generator side.")
  static final class Load implements Callable<Integer> {
    @Option(names = "--host", defaultValue = "127.0.0.1")
    String host;

    @Option(names = "--port", required = true)
    int port;

    @Option(names = "--agents", required = true)
    int agents;

    @Option(
        names = "--rate",
        defaultValue = "0",
        description = "offered PUBLISH/s over all agents; 0 connects and holds idle")
    int rate;

    @Option(names = "--seconds", defaultValue = "60", description = "send duration")
    int seconds;

    @Option(names = "--hold", defaultValue = "30", description = "idle hold, seconds (rate 0)")
    int hold;

    @Option(names = "--file", description = "batch file from 'prepare'")
    Path file;

    @Option(names = "--no-credentials", description = "send no passwords (Mosquitto)")
    boolean noCredentials;

    @Option(names = "--drain-subscriber", description = "one QoS 1 subscriber on every telemetry")
    boolean drain;

    @Option(
        names = "--window",
        description = "extra latency report for seconds FROM-TO of the run, e.g. 60-660")
    List<String> windows = new ArrayList<>();

    @Option(
        names = "--timeline",
        description = "print acknowledgements, p50, p99 and maximum latency for every second")
    boolean timeline;

    @Override
    public Integer call() throws Exception {
      List<int[]> parsed = new ArrayList<>();
      for (String w : windows) {
        String[] p = w.split("-", 2);
        parsed.add(new int[] {Integer.parseInt(p[0]), Integer.parseInt(p[1])});
      }
      FleetBench.load(
          new FleetLoad.Settings(
              host,
              port,
              agents,
              rate,
              seconds,
              hold,
              file,
              !noCredentials,
              drain,
              parsed,
              timeline),
          System.out);
      return 0;
    }
  }
}
