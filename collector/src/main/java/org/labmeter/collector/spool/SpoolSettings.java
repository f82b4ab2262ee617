package org.labmeter.collector.spool;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import org.labmeter.collector.ingest.GroupCommitLimits;

/**
 * How the collector's disk spool behaves. The collector builds it from its configuration (checked
 * there with messages naming the file key); the checks here only guard direct use.
 *
 * @param directory where the segment files and the replay position live; created if missing
 * @param maxBytes most bytes of records not yet replayed; a write that would go past it is refused
 *     (no PUBACK). Disk use can be up to one segment more (replayed records of the current segment)
 * @param segmentBytes a segment file is closed and a new one begun once it holds this much
 * @param backpressureBytes from this depth on, a write waits (up to {@code backpressureMaxWait})
 *     for replay to bring the spool below it, so the workers stop taking publishes and the
 *     connections stop reading
 * @param backpressureMaxWait longest such wait; after it the write is spooled if it fits under
 *     {@code maxBytes} and refused if not
 * @param unhealthyBytes from this depth on, {@link SpoolingBatchStore#healthy()} is false
 * @param retryBackoffMax longest pause between replay attempts while the store is down
 * @param replayGroup how many spooled batches one replay request carries
 * @param writeBehind every group goes to the spool first and is acknowledged once fsync'd there;
 *     the replay thread writes to the store in large groups behind it. PUBACK latency is then an
 *     fsync of one file, whatever the store's commit costs. Off: the spool is used only while the
 *     store fails or is behind
 * @param replayMaxRate most batches per second the replay writes, 0 for no limit: a backlog after
 *     an outage then drains at that pace and leaves the rest of the node's CPU to live traffic
 */
public record SpoolSettings(
    Path directory,
    long maxBytes,
    long segmentBytes,
    long backpressureBytes,
    Duration backpressureMaxWait,
    long unhealthyBytes,
    Duration retryBackoffMax,
    GroupCommitLimits replayGroup,
    boolean writeBehind,
    int replayMaxRate) {

  public static final long DEFAULT_MAX_BYTES = 1024L * 1024 * 1024;
  public static final long DEFAULT_SEGMENT_BYTES = 16L * 1024 * 1024;
  public static final Duration DEFAULT_RETRY_BACKOFF_MAX = Duration.ofSeconds(10);
  public static final Duration DEFAULT_BACKPRESSURE_MAX_WAIT = Duration.ofSeconds(5);

  public SpoolSettings {
    Objects.requireNonNull(directory, "directory");
    Objects.requireNonNull(retryBackoffMax, "retryBackoffMax");
    Objects.requireNonNull(backpressureMaxWait, "backpressureMaxWait");
    Objects.requireNonNull(replayGroup, "replayGroup");
    if (maxBytes < 1 || segmentBytes < 1) {
      throw new IllegalArgumentException("maxBytes and segmentBytes must be positive");
    }
    if (backpressureBytes < 1 || backpressureBytes > maxBytes) {
      throw new IllegalArgumentException("backpressureBytes must be 1.." + maxBytes);
    }
    if (unhealthyBytes < 0 || unhealthyBytes > maxBytes) {
      throw new IllegalArgumentException("unhealthyBytes must be 0.." + maxBytes);
    }
    if (replayMaxRate < 0) {
      throw new IllegalArgumentException("replayMaxRate must be >= 0, got " + replayMaxRate);
    }
    if (retryBackoffMax.isNegative() || retryBackoffMax.isZero()) {
      throw new IllegalArgumentException("retryBackoffMax must be more than 0s");
    }
  }

  /**
   * Defaults for {@code directory}: 1 GiB, 16 MiB segments, back-pressure at 80 %, unhealthy at 50
   * %.
   */
  public static SpoolSettings defaults(Path directory) {
    return new SpoolSettings(
        directory,
        DEFAULT_MAX_BYTES,
        DEFAULT_SEGMENT_BYTES,
        DEFAULT_MAX_BYTES / 100 * 80,
        DEFAULT_BACKPRESSURE_MAX_WAIT,
        DEFAULT_MAX_BYTES / 100 * 50,
        DEFAULT_RETRY_BACKOFF_MAX,
        GroupCommitLimits.DEFAULT,
        false,
        0);
  }

  public SpoolSettings withWriteBehind(boolean value) {
    return new SpoolSettings(
        directory,
        maxBytes,
        segmentBytes,
        backpressureBytes,
        backpressureMaxWait,
        unhealthyBytes,
        retryBackoffMax,
        replayGroup,
        value,
        replayMaxRate);
  }
}
