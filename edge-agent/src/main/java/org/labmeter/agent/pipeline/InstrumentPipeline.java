package org.labmeter.agent.pipeline;

import java.io.IOException;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.labmeter.agent.config.BatchingConfig;
import org.labmeter.agent.metrics.AgentMetrics;
import org.labmeter.agent.outbox.Outbox;
import org.labmeter.agent.outbox.OutboxEntry;
import org.labmeter.wire.Sample;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One instrument from source to outbox: schedule, sample, batch, seal. When the outbox is over its
 * quota, new samples are dropped and counted ({@code agent.outbox.full}) while everything already
 * sealed stays until acknowledged: the agent keeps producing so that it resumes the moment the
 * broker drains the backlog, and a gap is reported as UNKNOWN downstream rather than faked.
 *
 * <p>Confined to the agent's scheduler thread; the counters may be read from any thread.
 */
public final class InstrumentPipeline {
  private static final Logger log = LoggerFactory.getLogger(InstrumentPipeline.class);
  private static final long FULL_LOG_INTERVAL_MILLIS = 60_000;

  private final String agentId;
  private final String instrumentId;
  private final SampleSource source;
  private final PollSchedule schedule;
  private final BatchChain chain;
  private final Outbox outbox;
  private final AgentMetrics metrics;
  private final Clock clock;
  private final Consumer<OutboxEntry> onSealed;
  private final Batcher batcher;
  private final AtomicLong produced = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  private long lastFullLogMillis = Long.MIN_VALUE;
  private long droppedSinceLog;

  /**
   * @param onSealed told about each batch once it is durable in the outbox
   */
  public InstrumentPipeline(
      String agentId,
      String instrumentId,
      SampleSource source,
      PollSchedule schedule,
      BatchingConfig batching,
      BatchChain chain,
      Outbox outbox,
      AgentMetrics metrics,
      Clock clock,
      Consumer<OutboxEntry> onSealed) {
    this.agentId = agentId;
    this.instrumentId = instrumentId;
    this.source = source;
    this.schedule = schedule;
    this.chain = chain;
    this.outbox = outbox;
    this.metrics = metrics;
    this.clock = clock;
    this.onSealed = onSealed;
    this.batcher = new Batcher(batching, this::seal);
  }

  public String instrumentId() {
    return instrumentId;
  }

  /**
   * Produces up to {@code maxSamples} due samples, so that a long backfill of one instrument does
   * not hold up the others.
   *
   * @return milliseconds until the next call is useful: 0 when more samples are due now, {@code -1}
   *     when a window is complete (its last batch is sealed)
   */
  public long tick(int maxSamples) {
    long now = clock.millis();
    int n = 0;
    while (n < maxSamples && schedule.due(now)) {
      long ts = schedule.take();
      Sample sample = source.sampleAt(ts);
      produced.incrementAndGet();
      n++;
      if (outbox.isFull()) {
        refuse(now);
      } else {
        batcher.add(sample, now);
      }
    }
    if (n > 0) {
      metrics.samplesProduced(instrumentId, n);
    }
    if (schedule.finished()) {
      batcher.flush();
      return -1;
    }
    batcher.closeIfOld(now);
    return schedule.due(now) ? 0 : schedule.delayMillis(now);
  }

  /** Closes batches that have been open for the maximum age by the agent's clock. */
  public void closeIfOld() {
    batcher.closeIfOld(clock.millis());
  }

  /** Seals whatever is open, e.g. at stop. */
  public void flush() {
    batcher.flush();
  }

  public long samplesProduced() {
    return produced.get();
  }

  public long samplesDropped() {
    return dropped.get();
  }

  private void refuse(long now) {
    dropped.incrementAndGet();
    droppedSinceLog++;
    metrics.outboxFull(instrumentId);
    metrics.samplesDropped(instrumentId, "outbox-full", 1);
    if (lastFullLogMillis == Long.MIN_VALUE
        || now - lastFullLogMillis >= FULL_LOG_INTERVAL_MILLIS) {
      log.warn(
          "agent {} instrument {}: outbox full ({} of {} bytes pending); dropped {} samples since"
              + " the last report, keeping every unacknowledged batch",
          agentId,
          instrumentId,
          outbox.pendingBytes(),
          outbox.maxBytes(),
          droppedSinceLog);
      lastFullLogMillis = now;
      droppedSinceLog = 0;
    }
  }

  private void seal(List<Sample> samples) {
    OutboxEntry entry;
    try {
      entry = chain.seal(samples);
    } catch (IOException e) {
      dropped.addAndGet(samples.size());
      metrics.samplesDropped(instrumentId, "write-failed", samples.size());
      log.error(
          "agent {} instrument {}: cannot write batch {} to the outbox, {} samples lost: {}",
          agentId,
          instrumentId,
          chain.state().nextSequence(),
          samples.size(),
          e.toString());
      return;
    }
    metrics.batchSealed(instrumentId);
    onSealed.accept(entry);
  }
}
