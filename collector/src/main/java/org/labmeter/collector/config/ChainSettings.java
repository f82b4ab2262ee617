package org.labmeter.collector.config;

import java.time.Duration;

/**
 * How much of the hash chains the collector keeps in memory, and the chain sweeper.
 *
 * @param maxChainWindows chains whose recent links are kept in memory (least recently used go
 *     first; a chain not held is read back from the heads and the store). Each window holds at most
 *     64 links, about 16 KiB.
 * @param sweepInterval how often the chain sweeper looks for stored batches whose predecessor has
 *     arrived since ({@code Duration.ZERO}: off); QuestDB stores only
 * @param sweepHorizon how far back (by {@code received_at}) the sweeper looks
 */
public record ChainSettings(int maxChainWindows, Duration sweepInterval, Duration sweepHorizon) {
  public static final ChainSettings DEFAULT =
      new ChainSettings(4_096, Duration.ofSeconds(60), Duration.ofHours(1));

  public ChainSettings {
    CollectorConfig.range("verify.maxChainWindows", maxChainWindows, 16, 10_000_000);
    CollectorConfig.require("verify.sweepInterval", sweepInterval != null, "must be set");
    CollectorConfig.require(
        "verify.sweepInterval",
        !sweepInterval.isNegative() && sweepInterval.compareTo(Duration.ofDays(1)) <= 0,
        "must be 0s (off) .. 1d, got " + sweepInterval);
    CollectorConfig.positive("verify.sweepHorizon", sweepHorizon, Duration.ofDays(30));
  }

  /** Whether the sweeper runs. */
  public boolean sweeping() {
    return !sweepInterval.isZero();
  }
}
