package org.labmeter.collector.spool;

import java.io.IOException;
import java.util.ArrayDeque;

/**
 * Appends written to the spool's segments but not yet fsync'd, oldest first, each with what it adds
 * to the spool once it is on disk. Not thread-safe: {@link DiskSpool} calls it under its lock.
 */
final class UnsyncedAppends {
  /** One append: settled once an fsync covered it or a failure cut it away. */
  static final class Append {
    private final int records;
    private final long bytes;
    private final long firstReceivedAt;
    private boolean synced;
    private IOException failure;

    private Append(int records, long bytes, long firstReceivedAt) {
      this.records = records;
      this.bytes = bytes;
      this.firstReceivedAt = firstReceivedAt;
    }

    boolean settled() {
      return synced || failure != null;
    }

    /** Returns if the append is on disk; throws what cut it away otherwise. */
    void throwIfFailed() throws IOException {
      if (failure != null) {
        throw new IOException("spool append not made durable: " + failure.getMessage(), failure);
      }
    }
  }

  /** Receives what each append that reached the disk adds to the spool, oldest first. */
  interface Synced {
    void add(int records, long bytes, long firstReceivedAt);
  }

  private final ArrayDeque<Append> waiting = new ArrayDeque<>();
  private long records;
  private long bytes;

  /** Notes an append just written. */
  Append add(int records, long bytes, long firstReceivedAt) {
    Append a = new Append(records, bytes, firstReceivedAt);
    waiting.addLast(a);
    this.records += records;
    this.bytes += bytes;
    return a;
  }

  /** The newest append: an fsync that starts now covers it and every one before it. */
  Append newest() {
    return waiting.peekLast();
  }

  /** Settles {@code last} and every append before it as on disk, telling {@code to} of each. */
  void syncedUpTo(Append last, Synced to) {
    while (!waiting.isEmpty()) {
      Append a = waiting.pollFirst();
      a.synced = true;
      records -= a.records;
      bytes -= a.bytes;
      to.add(a.records, a.bytes, a.firstReceivedAt);
      if (a == last) {
        return;
      }
    }
  }

  /** Settles every waiting append as failed with {@code cause}. */
  void failAll(IOException cause) {
    for (Append a : waiting) {
      a.failure = cause;
    }
    waiting.clear();
    records = 0;
    bytes = 0;
  }

  long records() {
    return records;
  }

  long bytes() {
    return bytes;
  }
}
