package org.labmeter.collector.ingest;

/**
 * How much queued work a shard worker takes into one group (one store request). A group never waits
 * for more work: it holds what was already queued when the worker became free, so a lone publish is
 * written at once and a busy shard writes many per commit.
 *
 * @param maxBatches most tasks in one group; 1 turns grouping off
 * @param maxBytes most payload bytes in one group (a single larger payload still forms a group of
 *     one); the line-protocol request is about eight times the envelope bytes for small batches
 */
public record GroupCommitLimits(int maxBatches, int maxBytes) {
  /**
   * 2,048 batches or 1 MiB of envelopes (about 4 MB of line protocol for 10-sample batches): each
   * store request is one fsync'd commit, so larger groups under load are what lets a small node
   * keep up (fleet benchmark, docs/performance.md).
   */
  public static final GroupCommitLimits DEFAULT = new GroupCommitLimits(2048, 1024 * 1024);

  /**
   * A worker's groups with write-behind (at most; a smaller configured limit wins): each ends in an
   * fsync of the spool, not a store commit.
   */
  public static final GroupCommitLimits WRITE_BEHIND = new GroupCommitLimits(64, 128 * 1024);

  /** One task per group: every publish its own store request. */
  public static final GroupCommitLimits NONE = new GroupCommitLimits(1, 1);

  public GroupCommitLimits {
    if (maxBatches < 1 || maxBatches > 100_000) {
      throw new IllegalArgumentException("maxBatches must be 1..100000, got " + maxBatches);
    }
    if (maxBytes < 1) {
      throw new IllegalArgumentException("maxBytes must be >= 1, got " + maxBytes);
    }
  }

  public GroupCommitLimits withMaxBatches(int value) {
    return new GroupCommitLimits(value, maxBytes);
  }

  public GroupCommitLimits withMaxBytes(int value) {
    return new GroupCommitLimits(maxBatches, value);
  }
}
