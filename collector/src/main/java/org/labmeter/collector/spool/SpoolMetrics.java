package org.labmeter.collector.spool;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.TimeGauge;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The spool's meters: its depth (batches and bytes waiting for replay), the age of the oldest
 * waiting batch, and counters of what went in, what came out and what was refused. Removed from the
 * registry again by {@link #remove()}, so a restarted collector can register its own.
 */
final class SpoolMetrics {
  private final MeterRegistry registry;
  private final List<Meter> meters = new ArrayList<>();
  private final Counter appended;
  private final Counter replayed;
  private final Counter storeErrors;
  private final Counter refused;
  private final Counter backpressureWaits;
  private final Counter torn;

  SpoolMetrics(MeterRegistry registry, DiskSpool spool, LongSupplier nowMillis) {
    this.registry = registry;
    meters.add(
        Gauge.builder("collector.spool.records", spool, DiskSpool::records)
            .description("batches in the spool waiting to be replayed to the store")
            .strongReference(true)
            .register(registry));
    meters.add(
        Gauge.builder("collector.spool.bytes", spool, DiskSpool::bytes)
            .description("bytes in the spool waiting to be replayed to the store")
            .baseUnit("bytes")
            .strongReference(true)
            .register(registry));
    meters.add(
        TimeGauge.builder(
                "collector.spool.oldest.age",
                spool,
                TimeUnit.MILLISECONDS,
                s -> {
                  long oldest = s.oldestReceivedAtMillis();
                  return oldest < 0 ? 0 : Math.max(0, nowMillis.getAsLong() - oldest);
                })
            .description("how long the oldest spooled batch has waited for the store")
            .strongReference(true)
            .register(registry));
    meters.add(
        FunctionCounter.builder("collector.spool.fsyncs", spool, DiskSpool::syncs)
            .description("fsyncs of spool segments for appends (concurrent appends share one)")
            .register(registry));
    appended = counter("collector.spool.appended", "batches written to the spool");
    replayed = counter("collector.spool.replayed", "spooled batches the store accepted on replay");
    storeErrors =
        counter("collector.spool.store.errors", "store writes that failed (direct or replay)");
    refused = counter("collector.spool.refused", "batches refused because the spool was full");
    backpressureWaits =
        counter(
            "collector.spool.backpressure.waits",
            "group writes that waited for replay to make room in the spool");
    torn = counter("collector.spool.torn", "records cut short by a crash, truncated at start");
  }

  private Counter counter(String name, String description) {
    Counter c = Counter.builder(name).description(description).register(registry);
    meters.add(c);
    return c;
  }

  void appended(int batches) {
    appended.increment(batches);
  }

  void replayed(int batches) {
    replayed.increment(batches);
  }

  void storeError() {
    storeErrors.increment();
  }

  void refused(int batches) {
    refused.increment(batches);
  }

  void backpressureWait() {
    backpressureWaits.increment();
  }

  void torn(int records) {
    torn.increment(records);
  }

  void remove() {
    for (Meter m : meters) {
      registry.remove(m);
    }
    meters.clear();
  }
}
