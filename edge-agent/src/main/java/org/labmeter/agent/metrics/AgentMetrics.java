package org.labmeter.agent.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The agent's meters, all tagged with {@code agent}; per-instrument ones also with {@code
 * instrument}. Anything the agent drops or refuses is counted here, never silent.
 *
 * <ul>
 *   <li>{@code agent.samples.produced}: samples taken from a source
 *   <li>{@code agent.samples.dropped} ({@code reason}: {@code outbox-full}, {@code write-failed}):
 *       samples that never reached the outbox
 *   <li>{@code agent.outbox.full}: samples refused because the outbox was over its quota
 *   <li>{@code agent.batches.sealed}: batches signed and written to the outbox
 *   <li>{@code agent.batches.acked}: batches acknowledged by the broker and deleted
 *   <li>{@code agent.mqtt.connects}, {@code agent.mqtt.connection.lost}
 *   <li>gauges {@code agent.outbox.pending} (unacknowledged batches), {@code agent.outbox.bytes}
 *       (their envelope bytes), {@code agent.outbox.disk.bytes} (segment files on disk), {@code
 *       agent.outbox.truncated} (torn records cut at recovery), {@code agent.mqtt.connected} (0/1)
 * </ul>
 */
public final class AgentMetrics {
  private final MeterRegistry registry;
  private final Tags agentTags;
  private final Map<String, Counter> counters = new ConcurrentHashMap<>();

  public AgentMetrics(MeterRegistry registry, String agentId) {
    this.registry = registry;
    this.agentTags = Tags.of("agent", agentId);
  }

  public void samplesProduced(String instrumentId, long count) {
    counter("agent.samples.produced", instrumentId, null).increment(count);
  }

  public void samplesDropped(String instrumentId, String reason, long count) {
    counter("agent.samples.dropped", instrumentId, reason).increment(count);
  }

  public void outboxFull(String instrumentId) {
    counter("agent.outbox.full", instrumentId, null).increment();
  }

  public void batchSealed(String instrumentId) {
    counter("agent.batches.sealed", instrumentId, null).increment();
  }

  public void batchAcked(String instrumentId) {
    counter("agent.batches.acked", instrumentId, null).increment();
  }

  public void connected() {
    counter("agent.mqtt.connects", null, null).increment();
  }

  public void connectionLost() {
    counter("agent.mqtt.connection.lost", null, null).increment();
  }

  /** Registers a gauge that reads {@code value} whenever the registry is scraped. */
  public void gauge(String name, Supplier<Number> value) {
    Gauge.builder(name, value).tags(agentTags).register(registry);
  }

  private Counter counter(String name, String instrumentId, String reason) {
    String key = name + '|' + instrumentId + '|' + reason;
    return counters.computeIfAbsent(
        key,
        k -> {
          Tags tags = agentTags;
          if (instrumentId != null) {
            tags = tags.and("instrument", instrumentId);
          }
          if (reason != null) {
            tags = tags.and("reason", reason);
          }
          return Counter.builder(name).tags(tags).register(registry);
        });
  }
}
