package org.labmeter.agent.config;

import org.labmeter.wire.BatchCodec;

/**
 * The {@code batching} section: a batch closes at {@code maxSamples} samples, or when its first
 * sample is {@code maxAgeMillis} old (by sample time, and by the agent's clock for live sampling),
 * whichever comes first.
 */
public record BatchingConfig(int maxSamples, long maxAgeMillis) {
  public static final BatchingConfig DEFAULT = new BatchingConfig(10, 5_000);

  public BatchingConfig {
    InvalidConfigException.requireRange("maxSamples", maxSamples, 1, BatchCodec.MAX_SAMPLES);
    InvalidConfigException.requireRange("maxAgeMillis", maxAgeMillis, 100, 3_600_000);
  }
}
