package org.labmeter.metering.store;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.labmeter.metering.derive.ObservationSeries;

/** {@link FleetReader} over one {@link SampleReader} call per instrument. */
final class PerInstrumentFleetReader implements FleetReader {
  /** How far back the newest sample is looked for, at most. */
  private static final long MAX_LOOK_BACK_MILLIS = 7L * 24 * 3_600_000L;

  private final SampleReader reader;
  private final Supplier<List<String>> instrumentIds;

  PerInstrumentFleetReader(SampleReader reader, Supplier<List<String>> instrumentIds) {
    this.reader = reader;
    this.instrumentIds = instrumentIds;
  }

  @Override
  public List<LatestSample> latest(long sinceMillis) {
    long to = Long.MAX_VALUE / 2;
    long from = Math.max(sinceMillis, System.currentTimeMillis() - MAX_LOOK_BACK_MILLIS);
    List<LatestSample> out = new ArrayList<>();
    for (String id : instrumentIds.get()) {
      ObservationSeries s = reader.read(id, from, to);
      int newest = -1;
      for (int i = 0; i < s.size(); i++) {
        if (newest < 0 || s.timestampMillis(i) >= s.timestampMillis(newest)) {
          newest = i;
        }
      }
      if (newest >= 0) {
        out.add(
            new LatestSample(
                id,
                s.timestampMillis(newest),
                s.powerW(newest),
                s.runFlag(newest),
                s.quality(newest)));
      }
    }
    return out;
  }

  @Override
  public Map<String, double[]> powerBuckets(long fromMillis, long toMillis, long bucketMillis) {
    int n = FleetReader.bucketCount(fromMillis, toMillis, bucketMillis);
    Map<String, double[]> out = new LinkedHashMap<>();
    for (String id : instrumentIds.get()) {
      ObservationSeries s = reader.read(id, fromMillis, toMillis);
      if (s.isEmpty()) {
        continue;
      }
      double[] sum = new double[n];
      int[] count = new int[n];
      for (int i = 0; i < s.size(); i++) {
        if (!Double.isNaN(s.powerW(i))) {
          int b = (int) ((s.timestampMillis(i) - fromMillis) / bucketMillis);
          sum[b] += s.powerW(i);
          count[b]++;
        }
      }
      double[] mean = new double[n];
      Arrays.fill(mean, Double.NaN);
      for (int b = 0; b < n; b++) {
        if (count[b] > 0) {
          mean[b] = sum[b] / count[b];
        }
      }
      out.put(id, mean);
    }
    return out;
  }
}
