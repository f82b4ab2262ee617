package org.labmeter.agent.config;

/**
 * The {@code outbox} section.
 *
 * @param maxBytes quota of unacknowledged batches on disk; beyond it new samples are dropped and
 *     counted, and nothing unacknowledged is ever deleted
 */
public record OutboxConfig(long maxBytes) {
  public static final OutboxConfig DEFAULT = new OutboxConfig(256L * 1024 * 1024);

  public OutboxConfig {
    InvalidConfigException.requireRange("maxBytes", maxBytes, 64 * 1024, Long.MAX_VALUE);
  }
}
