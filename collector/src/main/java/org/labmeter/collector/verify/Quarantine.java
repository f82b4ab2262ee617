package org.labmeter.collector.verify;

import java.util.ArrayDeque;
import java.util.List;

/**
 * The last few refused payloads, in memory. Refused batches are acknowledged (so an agent does not
 * resend them forever) and never stored as samples; this keeps them inspectable until a durable
 * quarantine exists. Oldest entries are dropped first.
 */
public final class Quarantine {
  private final int capacity;
  private final ArrayDeque<QuarantinedPayload> entries;

  public Quarantine(int capacity) {
    if (capacity < 0) {
      throw new IllegalArgumentException("capacity must be >= 0, got " + capacity);
    }
    this.capacity = capacity;
    this.entries = new ArrayDeque<>(Math.min(capacity, 1024));
  }

  public synchronized void add(QuarantinedPayload payload) {
    if (capacity == 0) {
      return;
    }
    if (entries.size() == capacity) {
      entries.removeFirst();
    }
    entries.addLast(payload);
  }

  /** Oldest first. */
  public synchronized List<QuarantinedPayload> recent() {
    return List.copyOf(entries);
  }
}
