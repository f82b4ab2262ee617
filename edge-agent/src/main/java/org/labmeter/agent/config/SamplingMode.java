package org.labmeter.agent.config;

/** When an instrument is sampled. */
public sealed interface SamplingMode {

  /**
   * Live sampling at the period. With {@code backfillSeconds > 0} the agent first produces that
   * much history as fast as it can (a simulator can; a real meter cannot), then goes live.
   */
  record Live(long backfillSeconds) implements SamplingMode {
    public Live {
      InvalidConfigException.requireRange("backfillSeconds", backfillSeconds, 0, 31L * 86_400);
    }
  }

  /**
   * Samples for the fixed span {@code [fromMillis, toMillis)}, produced as fast as possible, after
   * which the instrument is done. For tests and reproducible demos.
   */
  record Window(long fromMillis, long toMillis) implements SamplingMode {
    public Window {
      if (toMillis <= fromMillis) {
        throw new InvalidConfigException(
            "window.to", toMillis + " is not after window.from " + fromMillis);
      }
    }
  }
}
