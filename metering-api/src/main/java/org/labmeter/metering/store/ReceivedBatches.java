package org.labmeter.metering.store;

import java.util.List;

/** The batches the collector received after an instant, for the ledger's late-data scan. */
@FunctionalInterface
public interface ReceivedBatches {
  /**
   * Batches with {@code received_at > afterMillis} whose first sample is at or after {@code
   * firstSampleFromMillis}, oldest receipt first.
   */
  List<ReceivedBatch> receivedAfter(long afterMillis, long firstSampleFromMillis);
}
