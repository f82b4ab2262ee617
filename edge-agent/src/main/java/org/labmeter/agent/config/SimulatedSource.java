package org.labmeter.agent.config;

import java.util.Objects;
import org.labmeter.agent.simulate.Pace;
import org.labmeter.agent.simulate.SimulatorKind;

/**
 * A simulated instrument ({@code type: simulated}).
 *
 * @param kind the instrument family
 * @param seed makes the simulated history reproducible
 * @param periodMillis sample period
 * @param pace how fast the instrument changes state
 * @param mode live (with optional backfill) or a fixed window
 */
public record SimulatedSource(
    SimulatorKind kind, long seed, long periodMillis, Pace pace, SamplingMode mode)
    implements SourceConfig {
  public static final String TYPE = "simulated";
  public static final long MIN_PERIOD_MILLIS = 10;
  public static final long MAX_PERIOD_MILLIS = 3_600_000;

  public SimulatedSource {
    if (kind == null) {
      throw new InvalidConfigException(
          "kind", "missing; allowed: " + String.join(", ", SimulatorKind.configNames()));
    }
    InvalidConfigException.requireRange(
        "periodMillis", periodMillis, MIN_PERIOD_MILLIS, MAX_PERIOD_MILLIS);
    Objects.requireNonNull(pace, "pace");
    Objects.requireNonNull(mode, "mode");
  }

  /** Live sampling, normal pace, with {@code backfillSeconds} of history produced at start. */
  public static SimulatedSource live(
      SimulatorKind kind, long seed, long periodMillis, long backfillSeconds) {
    return new SimulatedSource(
        kind, seed, periodMillis, Pace.NORMAL, new SamplingMode.Live(backfillSeconds));
  }

  /** The samples of {@code [fromMillis, toMillis)} as fast as possible, then stop. */
  public static SimulatedSource window(
      SimulatorKind kind, long seed, long periodMillis, long fromMillis, long toMillis) {
    return new SimulatedSource(
        kind, seed, periodMillis, Pace.NORMAL, new SamplingMode.Window(fromMillis, toMillis));
  }

  public SimulatedSource withPace(Pace pace) {
    return new SimulatedSource(kind, seed, periodMillis, pace, mode);
  }

  @Override
  public String type() {
    return TYPE;
  }
}
