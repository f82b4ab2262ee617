package org.labmeter.metering.store;

import java.util.List;

/**
 * The batches the collector wrote after an instant, for the ledger's late-data scan: newly received
 * ones, and older ones rewritten since (relinked when a gap closed, swept, or replayed from the
 * collector's spool). The instant compared is {@code written_at}, or {@code received_at} for rows
 * written before that column existed.
 */
@FunctionalInterface
public interface ReceivedBatches {
  /**
   * Batches written after {@code afterMillis} whose first sample is at or after {@code
   * firstSampleFromMillis}, oldest write first.
   */
  List<ReceivedBatch> receivedAfter(long afterMillis, long firstSampleFromMillis);
}
