package org.labmeter.agent.outbox;

import java.util.concurrent.atomic.AtomicLong;

/** Totals over all instruments' logs, written on the agent's thread and read from any. */
final class OutboxCounters {
  final AtomicLong pendingCount = new AtomicLong();
  final AtomicLong pendingBytes = new AtomicLong();
  final AtomicLong diskBytes = new AtomicLong();
  final AtomicLong truncatedRecords = new AtomicLong();

  void pendingAdded(int envelopeLength) {
    pendingCount.incrementAndGet();
    pendingBytes.addAndGet(envelopeLength);
  }

  void pendingRemoved(int envelopeLength) {
    pendingCount.decrementAndGet();
    pendingBytes.addAndGet(-envelopeLength);
  }
}
