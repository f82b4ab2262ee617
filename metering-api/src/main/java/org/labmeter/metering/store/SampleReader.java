package org.labmeter.metering.store;

import org.labmeter.metering.derive.ObservationSeries;

/**
 * Reads one instrument's stored samples back from the time-series store. Implementations block;
 * callers on an event loop use a worker.
 */
public interface SampleReader extends AutoCloseable {

  /** Samples with device timestamps in [fromMillis, toMillis), in any order. */
  ObservationSeries read(String instrumentId, long fromMillis, long toMillis);

  /** Whether the store answers at all, for the health endpoint. */
  boolean ping();

  @Override
  void close();
}
