package org.labmeter.launcher;

import org.labmeter.launcher.bench.IngestBenchmark;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "bench-ingest",
    mixinStandardHelpOptions = true,
    description = {
      "Measures the collector's accepted batches per second for one agent publishing pre-signed",
      "10-sample batches through Paho at QoS 1, into embedded QuestDB. Results go to",
      "docs/performance.md with the machine and the command."
    })
final class BenchCommand implements java.util.concurrent.Callable<Integer> {
  @Option(
      names = "--seconds",
      defaultValue = "20",
      description = "measured duration (default: ${DEFAULT-VALUE})")
  int seconds;

  @Option(
      names = "--max-inflight",
      defaultValue = "100",
      description = "Paho's in-flight window (default: ${DEFAULT-VALUE})")
  int maxInflight;

  @Override
  public Integer call() throws Exception {
    new IngestBenchmark(seconds, maxInflight, System.out).run();
    return 0;
  }
}
