package org.labmeter.agent.config;

/**
 * The {@code replay} section: how the backlog left in the outbox by an outage goes out after a
 * reconnect. Live batches (sealed while connected) always go first, within {@code
 * mqtt.maxInflight}; the backlog is drained oldest first beside them, with at most {@code
 * maxInflight} of its batches unacknowledged and at most {@code batchesPerSecond} sent per second,
 * so a day of backlog neither delays the live data nor floods the collector.
 *
 * @param batchesPerSecond backlog batches sent per second; 0 means as fast as acknowledgements come
 * @param maxInflight backlog batches sent and not yet acknowledged at any time
 */
public record ReplayConfig(int batchesPerSecond, int maxInflight) {
  public static final ReplayConfig DEFAULT = new ReplayConfig(50, 8);

  /** The backlog at the speed of the acknowledgements, with the given window. */
  public static ReplayConfig unthrottled(int maxInflight) {
    return new ReplayConfig(0, maxInflight);
  }

  public ReplayConfig {
    InvalidConfigException.requireRange("batchesPerSecond", batchesPerSecond, 0, 100_000);
    InvalidConfigException.requireRange("maxInflight", maxInflight, 1, 1000);
  }
}
