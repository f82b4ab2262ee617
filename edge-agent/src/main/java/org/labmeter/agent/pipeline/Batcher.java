package org.labmeter.agent.pipeline;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.labmeter.agent.config.BatchingConfig;
import org.labmeter.wire.Sample;

/**
 * Collects one instrument's samples into batches. A batch closes when it holds {@code maxSamples},
 * when the next sample is {@code maxAgeMillis} or more after its first one (sample time, so a fast
 * backfill makes the same batches as live sampling would), or when the agent's clock says it has
 * been open that long (so a slow or stalled source still ships what it has).
 *
 * <p>Confined to the agent's scheduler thread.
 */
public final class Batcher {
  private final int maxSamples;
  private final long maxAgeMillis;
  private final Consumer<List<Sample>> sink;
  private List<Sample> open = new ArrayList<>();
  private long openedAtMillis;
  private long lastTimestampMillis = Long.MIN_VALUE;

  /**
   * @param sink receives each closed batch's samples, in time order
   */
  public Batcher(BatchingConfig config, Consumer<List<Sample>> sink) {
    this.maxSamples = config.maxSamples();
    this.maxAgeMillis = config.maxAgeMillis();
    this.sink = sink;
  }

  /**
   * Adds a sample, closing batches as the limits say.
   *
   * @param nowMillis the agent's clock
   * @return false when the sample is not after the previous one and was left out
   */
  public boolean add(Sample sample, long nowMillis) {
    if (sample.timestampMillis() <= lastTimestampMillis) {
      return false;
    }
    lastTimestampMillis = sample.timestampMillis();
    if (!open.isEmpty()
        && sample.timestampMillis() - open.get(0).timestampMillis() >= maxAgeMillis) {
      flush();
    }
    if (open.isEmpty()) {
      openedAtMillis = nowMillis;
    }
    open.add(sample);
    if (open.size() >= maxSamples) {
      flush();
    }
    return true;
  }

  /** Closes the open batch when it has been open for {@code maxAgeMillis} by the agent's clock. */
  public void closeIfOld(long nowMillis) {
    if (!open.isEmpty() && nowMillis - openedAtMillis >= maxAgeMillis) {
      flush();
    }
  }

  /** Closes the open batch, if any. */
  public void flush() {
    if (open.isEmpty()) {
      return;
    }
    List<Sample> closed = open;
    open = new ArrayList<>();
    sink.accept(List.copyOf(closed));
  }

  public int openSize() {
    return open.size();
  }
}
