package org.labmeter.metering.store;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.labmeter.metering.derive.ObservationSeries;

/**
 * A {@link SampleReader} that keeps the decoded samples of closed past intervals in memory, so that
 * a usage query reads only the recent tail from the store. Answers are the samples the store holds,
 * exactly as an uncached read would build them: a read of [from, to) is cut at {@link
 * #CHUNK_MILLIS} boundaries, closed chunks come from memory (loaded from the store once, one query
 * per run of missing chunks) and the open tail is read from the store every time.
 *
 * <p>A chunk is closed once it ended {@link #OPEN_TAIL_MILLIS} before now. Samples can still arrive
 * for it (an agent back after being offline, a replayed spool): every {@link #SCAN_INTERVAL_MILLIS}
 * at most, before answering, the reader looks in {@code lm_batches} for batches received since its
 * previous look (less {@link #OVERLAP_MILLIS}, as the ledger's late-data scan does, for batches
 * that became visible a little after they were received) whose first sample lies before the open
 * tail, and drops every chunk they touch. A batch inside the overlap drops its chunks again on each
 * look, so samples that became visible after their batch record are picked up too. A load that ran
 * while a look found late batches is not kept. So late data shows in the answers at the latest one
 * scan interval after it is visible in the store.
 *
 * <p>Memory: chunks are kept in least-recently-used order within {@code budgetBytes}, counting
 * {@link #BYTES_PER_SAMPLE} bytes a sample plus {@link #BYTES_PER_CHUNK} a chunk. Thread-safe.
 */
public final class CachingSampleReader implements SampleReader {
  /** The length of one cached piece of an instrument's samples. */
  public static final long CHUNK_MILLIS = 10 * 60_000L;

  /** How long after its end a chunk is still read from the store every time. */
  public static final long OPEN_TAIL_MILLIS = 5 * 60_000L;

  /** How often, at most, the reader looks for late batches. */
  public static final long SCAN_INTERVAL_MILLIS = 2_000L;

  /** How far before the previous look each look re-reads batches by receipt time. */
  public static final long OVERLAP_MILLIS = 10 * 60_000L;

  /** How far before the oldest cached chunk a late batch's first sample is looked for. */
  public static final long BATCH_SPAN_MILLIS = 24 * 3_600_000L;

  /** Memory of one cached sample: timestamp 8, power 8, run flag, quality and verified 1 each. */
  public static final int BYTES_PER_SAMPLE = 19;

  /** Memory of one chunk beyond its samples: key, map entry, five array headers. */
  public static final int BYTES_PER_CHUNK = 256;

  /** The default budget: about 3.5 million samples, 40 instrument-days at 1 Hz. */
  public static final long DEFAULT_BUDGET_BYTES = 64L << 20;

  /** Where late batches are found: {@link QuestDbBatchReader#receivedAfter(long, long, long)}. */
  @FunctionalInterface
  public interface LateBatches {
    List<ReceivedBatch> receivedAfter(
        long afterMillis, long firstSampleFromMillis, long firstSampleBeforeMillis);
  }

  /** Counts since start, for tests and diagnostics. */
  public record Stats(long chunkHits, long chunkLoads, long chunksDropped, long cachedBytes) {}

  private record Key(String instrumentId, long startMillis) {}

  private final SampleReader store;
  private final LateBatches lateBatches;
  private final Clock clock;
  private final long budgetBytes;
  private final Object scanLock = new Object();
  private final LinkedHashMap<Key, ObservationSeries> chunks =
      new LinkedHashMap<>(256, 0.75f, true);
  private long bytes;
  private long generation;
  private long oldestRequested = Long.MAX_VALUE;
  private long hits;
  private long loads;
  private long dropped;
  private long lastScanMillis = Long.MIN_VALUE;

  public CachingSampleReader(
      SampleReader store, LateBatches lateBatches, Clock clock, long budgetBytes) {
    if (budgetBytes < 0) {
      throw new IllegalArgumentException("budgetBytes must be >= 0, was " + budgetBytes);
    }
    this.store = store;
    this.lateBatches = lateBatches;
    this.clock = clock;
    this.budgetBytes = budgetBytes;
  }

  @Override
  public ObservationSeries read(String instrumentId, long fromMillis, long toMillis) {
    long now = clock.millis();
    scanIfDue(now);
    long closedEnd = Math.floorDiv(now - OPEN_TAIL_MILLIS, CHUNK_MILLIS) * CHUNK_MILLIS;
    long first = Math.floorDiv(fromMillis, CHUNK_MILLIS) * CHUNK_MILLIS;
    long cachedEnd = Math.min(closedEnd, ceil(toMillis));
    if (fromMillis >= toMillis || first >= cachedEnd) {
      return store.read(instrumentId, fromMillis, toMillis);
    }
    List<ObservationSeries> parts = new ArrayList<>();
    for (ObservationSeries chunk : chunks(instrumentId, first, cachedEnd)) {
      parts.add(chunk.slice(fromMillis, toMillis));
    }
    if (toMillis > cachedEnd) {
      parts.add(store.read(instrumentId, cachedEnd, toMillis));
    }
    return ObservationSeries.concat(parts);
  }

  /** The chunks [first, end) of the instrument in order, loading the missing ones. */
  private List<ObservationSeries> chunks(String instrumentId, long first, long end) {
    int n = (int) ((end - first) / CHUNK_MILLIS);
    ObservationSeries[] out = new ObservationSeries[n];
    long gen;
    synchronized (this) {
      gen = generation;
      oldestRequested = Math.min(oldestRequested, first);
      for (int i = 0; i < n; i++) {
        out[i] = chunks.get(new Key(instrumentId, first + i * CHUNK_MILLIS));
        if (out[i] != null) {
          hits++;
        }
      }
    }
    for (int i = 0; i < n; ) {
      if (out[i] != null) {
        i++;
        continue;
      }
      int j = i;
      while (j < n && out[j] == null) {
        j++;
      }
      long runStart = first + i * CHUNK_MILLIS;
      ObservationSeries run = store.read(instrumentId, runStart, first + j * CHUNK_MILLIS);
      for (int k = i; k < j; k++) {
        long start = first + k * CHUNK_MILLIS;
        out[k] = run.slice(start, start + CHUNK_MILLIS);
      }
      keep(instrumentId, first, out, i, j, gen);
      i = j;
    }
    return List.of(out);
  }

  private synchronized void keep(
      String instrumentId, long first, ObservationSeries[] out, int from, int to, long gen) {
    loads += to - from;
    if (generation != gen) {
      return; // late batches were found while this load ran: it may lack them
    }
    for (int k = from; k < to; k++) {
      ObservationSeries old = chunks.put(new Key(instrumentId, first + k * CHUNK_MILLIS), out[k]);
      bytes += weight(out[k]) - (old == null ? 0 : weight(old));
    }
    Iterator<Map.Entry<Key, ObservationSeries>> eldest = chunks.entrySet().iterator();
    while (bytes > budgetBytes && eldest.hasNext()) {
      bytes -= weight(eldest.next().getValue());
      eldest.remove();
    }
  }

  /** Looks for late batches when the last look is {@link #SCAN_INTERVAL_MILLIS} old. */
  private void scanIfDue(long now) {
    synchronized (scanLock) {
      if (lastScanMillis != Long.MIN_VALUE && now - lastScanMillis < SCAN_INTERVAL_MILLIS) {
        return;
      }
      long oldest;
      synchronized (this) {
        oldest = oldestRequested;
      }
      long previous = lastScanMillis;
      lastScanMillis = now;
      if (oldest == Long.MAX_VALUE) {
        return; // nothing was ever loaded, so nothing can be stale
      }
      long closedEnd = Math.floorDiv(now - OPEN_TAIL_MILLIS, CHUNK_MILLIS) * CHUNK_MILLIS;
      long after = previous == Long.MIN_VALUE ? now - OVERLAP_MILLIS : previous - OVERLAP_MILLIS;
      List<ReceivedBatch> late;
      try {
        late = lateBatches.receivedAfter(after, oldest - BATCH_SPAN_MILLIS, closedEnd);
      } catch (RuntimeException e) {
        lastScanMillis = previous; // look again on the next read; nothing cached may be trusted
        synchronized (this) {
          generation++;
          dropped += chunks.size();
          chunks.clear();
          bytes = 0;
        }
        throw e;
      }
      if (!late.isEmpty()) {
        drop(late, closedEnd);
      }
    }
  }

  /** Drops the chunks the batches touch; none at or after {@code closedEnd} is cached. */
  private synchronized void drop(List<ReceivedBatch> late, long closedEnd) {
    generation++;
    for (ReceivedBatch b : late) {
      long c = Math.floorDiv(b.firstTimestampMillis(), CHUNK_MILLIS) * CHUNK_MILLIS;
      long last = Math.min(b.lastTimestampMillis(), closedEnd - 1);
      for (; c <= last; c += CHUNK_MILLIS) {
        ObservationSeries old = chunks.remove(new Key(b.instrumentId(), c));
        if (old != null) {
          bytes -= weight(old);
          dropped++;
        }
      }
    }
  }

  public synchronized Stats stats() {
    return new Stats(hits, loads, dropped, bytes);
  }

  private static long ceil(long millis) {
    return Math.floorDiv(millis + CHUNK_MILLIS - 1, CHUNK_MILLIS) * CHUNK_MILLIS;
  }

  private static long weight(ObservationSeries s) {
    return BYTES_PER_CHUNK + (long) BYTES_PER_SAMPLE * s.size();
  }

  @Override
  public boolean ping() {
    return store.ping();
  }

  /** Closes nothing: the store belongs to whoever made this reader. */
  @Override
  public void close() {
    synchronized (this) {
      chunks.clear();
      bytes = 0;
    }
  }
}
