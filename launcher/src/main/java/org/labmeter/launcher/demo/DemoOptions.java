package org.labmeter.launcher.demo;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.BiFunction;
import org.labmeter.agent.config.BatchingConfig;
import org.labmeter.agent.config.SimulatedSource;
import org.labmeter.agent.simulate.Pace;

/**
 * How the demo runs. Port 0 means "any free port".
 *
 * @param firstBackfill history each simulated instrument sends on the very first start
 * @param fleet the simulated instruments, one agent each
 * @param sources the source of each instrument given whether this is the first start; by default
 *     live sampling at 1 Hz with {@code firstBackfill} of history on the first start
 * @param batching how the agents batch samples
 */
public record DemoOptions(
    Path dataDir,
    String bindHost,
    int apiPort,
    int mqttPort,
    int storeHttpPort,
    int storePgPort,
    Duration firstBackfill,
    Pace pace,
    List<DemoInstrument> fleet,
    BiFunction<DemoInstrument, Boolean, SimulatedSource> sources,
    BatchingConfig batching) {

  /** The defaults of {@code ./labmeter demo}, with the given folder, host and ports. */
  public static DemoOptions defaults(
      Path dataDir,
      String bindHost,
      int apiPort,
      int mqttPort,
      int storeHttpPort,
      int storePgPort) {
    return new DemoOptions(
        dataDir,
        bindHost,
        apiPort,
        mqttPort,
        storeHttpPort,
        storePgPort,
        Duration.ofHours(1),
        Pace.COMPRESSED,
        DemoFleet.INSTRUMENTS,
        null,
        BatchingConfig.DEFAULT);
  }

  public DemoOptions withHistory(Duration firstBackfill, Pace pace) {
    return new DemoOptions(
        dataDir,
        bindHost,
        apiPort,
        mqttPort,
        storeHttpPort,
        storePgPort,
        firstBackfill,
        pace,
        fleet,
        null,
        batching);
  }

  /** The same system with another fleet and source plan (end-to-end tests use fixed windows). */
  public DemoOptions withFleet(
      List<DemoInstrument> fleet, BiFunction<DemoInstrument, Boolean, SimulatedSource> sources) {
    return new DemoOptions(
        dataDir,
        bindHost,
        apiPort,
        mqttPort,
        storeHttpPort,
        storePgPort,
        firstBackfill,
        pace,
        fleet,
        sources,
        batching);
  }

  /** The source of an instrument on this start. */
  public SimulatedSource sourceFor(DemoInstrument d, boolean firstStart) {
    if (sources != null) {
      return sources.apply(d, firstStart);
    }
    long backfill = firstStart ? firstBackfill.toSeconds() : 0;
    return SimulatedSource.live(d.kind(), d.seed(), DemoInstrument.PERIOD.toMillis(), backfill)
        .withPace(pace);
  }

  public DemoOptions {
    for (int port : new int[] {apiPort, mqttPort, storeHttpPort, storePgPort}) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("ports must be in 0..65535, got " + port);
      }
    }
    Objects.requireNonNull(dataDir, "dataDir");
    fleet = List.copyOf(fleet);
    Objects.requireNonNull(batching, "batching");
    if (firstBackfill.isNegative()) {
      throw new IllegalArgumentException("firstBackfill must not be negative");
    }
  }
}
