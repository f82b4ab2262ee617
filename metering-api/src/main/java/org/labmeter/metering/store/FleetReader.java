package org.labmeter.metering.store;

import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Reads for the whole fleet at once: the live screens ask one question for every instrument rather
 * than one per instrument. Implementations block; callers on an event loop use a worker.
 */
public interface FleetReader {

  /** The newest sample of every instrument that has one at or after {@code sinceMillis}. */
  List<LatestSample> latest(long sinceMillis);

  /**
   * Mean power per instrument over [fromMillis, toMillis) in buckets of {@code bucketMillis}
   * (bucket k starts at fromMillis + k * bucketMillis); NaN where a bucket has no sample, so that a
   * gap is never drawn as zero. Instruments without any sample are absent.
   */
  Map<String, double[]> powerBuckets(long fromMillis, long toMillis, long bucketMillis);

  /**
   * A fleet reader that asks {@code reader} once per instrument, for stores without a fleet query
   * (and tests with a reader they own).
   */
  static FleetReader perInstrument(SampleReader reader, Supplier<List<String>> instrumentIds) {
    return new PerInstrumentFleetReader(reader, instrumentIds);
  }

  /** The number of buckets of {@code bucketMillis} in [fromMillis, toMillis). */
  static int bucketCount(long fromMillis, long toMillis, long bucketMillis) {
    return (int) Math.max(1, (toMillis - fromMillis + bucketMillis - 1) / bucketMillis);
  }
}
