package org.labmeter.collector.sweep;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.labmeter.collector.verify.ChainId;

/**
 * The batches this collector stored with {@code chain_ok = false}, oldest first: what the {@link
 * ChainSweeper} looks at after its first sweep, instead of scanning {@code lm_batches} every
 * interval (a scan by {@code received_at} cannot skip partitions, so its cost grows with all the
 * evidence ever stored). Bounded: past {@code capacity} the oldest entry is dropped and the log
 * reports an overflow, on which the sweeper scans the store once more. Thread-safe: the ingest
 * workers note, the sweeper reads and forgets.
 */
public final class UnverifiedLog {
  /** Entries kept before the oldest are dropped (about 150 bytes of heap each). */
  public static final int DEFAULT_CAPACITY = 100_000;

  /** A batch stored unverified: its chain, sequence, first sample time and arrival. */
  public record Entry(ChainId chain, long sequence, long firstTsMillis, long receivedAtMillis) {}

  private record Key(ChainId chain, long sequence) {}

  private final int capacity;
  private final Map<Key, Entry> entries = new LinkedHashMap<>();
  private boolean overflowed;

  /**
   * @param capacity most entries kept; 0 keeps none (no sweeper runs)
   */
  public UnverifiedLog(int capacity) {
    if (capacity < 0) {
      throw new IllegalArgumentException("capacity must be >= 0, got " + capacity);
    }
    this.capacity = capacity;
  }

  /** A log that keeps nothing, for collectors without a sweeper. */
  public static UnverifiedLog off() {
    return new UnverifiedLog(0);
  }

  /** A batch was stored (or spooled for the store) with {@code chain_ok = false}. */
  public synchronized void note(
      ChainId chain, long sequence, long firstTsMillis, long receivedAtMillis) {
    if (capacity == 0) {
      return;
    }
    Key key = new Key(chain, sequence);
    entries.remove(key); // a batch written again moves to the young end
    if (entries.size() >= capacity) {
      Iterator<Entry> oldest = entries.values().iterator();
      oldest.next();
      oldest.remove();
      overflowed = true;
    }
    entries.put(key, new Entry(chain, sequence, firstTsMillis, receivedAtMillis));
  }

  /** The batch is verified now (relinked or swept): nothing left to look at. */
  public synchronized void forget(ChainId chain, long sequence) {
    entries.remove(new Key(chain, sequence));
  }

  /**
   * Drops the entries received before {@code receivedAfterMillis} and returns the newest {@code
   * limit} of the others, newest first.
   */
  public synchronized List<Entry> since(long receivedAfterMillis, int limit) {
    entries.values().removeIf(e -> e.receivedAtMillis() < receivedAfterMillis);
    List<Entry> all = new ArrayList<>(entries.values());
    List<Entry> out = new ArrayList<>(Math.min(limit, all.size()));
    for (int i = all.size() - 1; i >= 0 && out.size() < limit; i--) {
      out.add(all.get(i));
    }
    return out;
  }

  /** Whether entries were dropped since the last call; clears the mark. */
  public synchronized boolean takeOverflow() {
    boolean was = overflowed;
    overflowed = false;
    return was;
  }

  public synchronized int size() {
    return entries.size();
  }
}
