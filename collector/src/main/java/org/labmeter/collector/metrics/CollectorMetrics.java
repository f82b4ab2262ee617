package org.labmeter.collector.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The collector's meters in one place, so that every name and tag is spelled once. Everything
 * refused or dropped is counted here: nothing the collector declines to store is silent.
 */
public final class CollectorMetrics {
  private final MeterRegistry registry;
  private final AtomicInteger connections = new AtomicInteger();
  private final Counter batchesAccepted;
  private final Counter samplesAccepted;
  private final Counter duplicates;
  private final Counter chainGaps;
  private final Counter lateBatches;
  private final Counter writeFailures;
  private final Counter backpressurePauses;
  private final Counter statusMessages;
  private final Timer writeLatency;

  public CollectorMetrics(MeterRegistry registry) {
    this.registry = registry;
    Gauge.builder("collector.connections", connections, AtomicInteger::get)
        .description("open MQTT connections")
        .register(registry);
    batchesAccepted =
        Counter.builder("collector.batches.accepted")
            .description("batches verified and written")
            .register(registry);
    samplesAccepted =
        Counter.builder("collector.samples.accepted")
            .description("samples in accepted batches")
            .register(registry);
    duplicates =
        Counter.builder("collector.duplicates")
            .description("batches already stored, acknowledged without writing")
            .register(registry);
    chainGaps =
        Counter.builder("collector.chain.gaps")
            .description("batches stored with a hash-chain gap or break before them")
            .register(registry);
    lateBatches =
        Counter.builder("collector.batches.late")
            .description("accepted batches whose newest sample was older than verify.lateAfter")
            .register(registry);
    writeFailures =
        Counter.builder("collector.write.failures")
            .description("store writes that failed; the batch was not acknowledged")
            .register(registry);
    backpressurePauses =
        Counter.builder("collector.backpressure.pauses")
            .description("times reading from a connection paused because its worker queue was full")
            .register(registry);
    statusMessages =
        Counter.builder("collector.status.messages")
            .description("messages on agents' status topics")
            .register(registry);
    writeLatency =
        Timer.builder("collector.write.latency")
            .description("time of one store write (samples and batch record together)")
            .register(registry);
  }

  public void connectionOpened() {
    connections.incrementAndGet();
  }

  public void connectionClosed() {
    connections.decrementAndGet();
  }

  public int openConnections() {
    return connections.get();
  }

  public void accepted(int samples) {
    batchesAccepted.increment();
    samplesAccepted.increment(samples);
  }

  /** A payload or packet refused; {@code reason} is a short snake_case tag. */
  public void rejected(String reason) {
    registry.counter("collector.rejected", "reason", reason).increment();
  }

  /** A CONNECT answered with a refusal; {@code reason} is a short snake_case tag. */
  public void connectionRefused(String reason) {
    registry.counter("collector.connections.refused", "reason", reason).increment();
  }

  public void duplicate() {
    duplicates.increment();
  }

  public void chainGap() {
    chainGaps.increment();
  }

  /** Batches that became verified because a late batch closed the gap before them. */
  public void relinked(int batches) {
    registry.counter("collector.chain.relinked").increment(batches);
  }

  /** A batch below the chain head that filled a gap. */
  public void gapFilled() {
    registry.counter("collector.chain.filled").increment();
  }

  public void late() {
    lateBatches.increment();
  }

  public void writeFailed() {
    writeFailures.increment();
  }

  public void backpressurePaused() {
    backpressurePauses.increment();
  }

  public void statusMessage() {
    statusMessages.increment();
  }

  public Timer writeLatency() {
    return writeLatency;
  }

  /** Reading from an agent's connection paused because it was over its publish rate. */
  public void publishRateLimited() {
    registry.counter("collector.ratelimit.pauses").increment();
  }

  /** A connection closed because a newer one of the same agent and client id replaced it. */
  public void sessionTakenOver() {
    registry.counter("collector.connections.takenover").increment();
  }

  /** The listener handed a will to the status path: a connection ended without DISCONNECT. */
  public void willDelivered() {
    registry.counter("collector.wills.delivered").increment();
  }

  /** Stored batches the chain sweeper found linked and rewrote as verified. */
  public void swept(int batches) {
    registry.counter("collector.chain.swept").increment(batches);
  }

  /**
   * {@code collector.chain.unverified}: batches stored unverified within the sweep horizon that
   * have not linked yet, as {@code count} reports them (the chain sweeper's candidates).
   */
  public void unverifiedWaiting(Supplier<Number> count) {
    Gauge.builder("collector.chain.unverified", count)
        .description("batches stored unverified that the chain sweeper looks at again")
        .strongReference(true)
        .register(registry);
  }

  /** Current count of {@code collector.rejected{reason}}, for tests and status pages. */
  public double rejectedCount(String reason) {
    Counter c = registry.find("collector.rejected").tag("reason", reason).counter();
    return c == null ? 0 : c.count();
  }
}
