package org.labmeter.metering.dashboard;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.labmeter.metering.derive.ObservationSeries;
import org.labmeter.metering.store.SampleReader;
import org.labmeter.wire.Quality;
import org.labmeter.wire.RunFlag;

/**
 * A sample store we own, fed the way agents feed the real one: each {@link #report} call is one
 * stored batch of 1 Hz samples for one instrument, ending at the given time.
 */
public final class SimulatedFleet implements SampleReader {
  private final Map<String, List<long[]>> samples = new ConcurrentHashMap<>();

  /**
   * Stores {@code seconds} samples of {@code watts}, one a second, the last at {@code endMillis}.
   */
  public void report(String instrumentId, double watts, long endMillis, int seconds) {
    List<long[]> rows = samples.computeIfAbsent(instrumentId, k -> new ArrayList<>());
    synchronized (rows) {
      for (int k = seconds - 1; k >= 0; k--) {
        rows.add(new long[] {endMillis - k * 1000L, Double.doubleToLongBits(watts)});
      }
    }
  }

  @Override
  public ObservationSeries read(String instrumentId, long fromMillis, long toMillis) {
    ObservationSeries.Builder b = ObservationSeries.builder();
    List<long[]> rows = samples.getOrDefault(instrumentId, List.of());
    synchronized (rows) {
      for (long[] r : rows) {
        if (r[0] >= fromMillis && r[0] < toMillis) {
          b.add(r[0], Double.longBitsToDouble(r[1]), RunFlag.NONE, Quality.GOOD, true);
        }
      }
    }
    return b.build();
  }

  @Override
  public boolean ping() {
    return true;
  }

  @Override
  public void close() {}
}
