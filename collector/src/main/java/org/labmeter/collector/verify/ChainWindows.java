package org.labmeter.collector.verify;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The chain windows held in memory, at most {@code maxChains}, least recently used evicted first. A
 * chain that is not held gets a fresh window, which asks the chain heads and the store as after a
 * restart, so eviction costs lookups, never correctness. A window taken for a group ({@link
 * #acquire}) is not evicted until the group is committed or discarded ({@link #release}), so that
 * what the group noted is kept. Used by every worker: the map is guarded by this object; each
 * window is still touched only by its agent's worker.
 */
final class ChainWindows {
  private final int maxChains;
  private final Supplier<ChainWindow> fresh;
  private final LinkedHashMap<ChainId, ChainWindow> windows = new LinkedHashMap<>(64, 0.75f, true);
  private long evicted;

  ChainWindows(int maxChains, Supplier<ChainWindow> fresh) {
    if (maxChains < 1) {
      throw new IllegalArgumentException("maxChains must be at least 1, got " + maxChains);
    }
    this.maxChains = maxChains;
    this.fresh = fresh;
  }

  /** The chain's window, made when not held, marked in use until {@link #release}. */
  synchronized ChainWindow acquire(ChainId id) {
    ChainWindow w = windows.get(id);
    if (w == null) {
      w = fresh.get();
      windows.put(id, w);
    }
    w.inUse = true;
    evictIdle();
    return w;
  }

  /** The chain's window if held (not touching its recency), or null. */
  synchronized ChainWindow peek(ChainId id) {
    return windows.get(id);
  }

  /** The group that took {@code w} is done with it; it may be evicted again. */
  static void release(ChainWindow w) {
    w.inUse = false;
  }

  synchronized int size() {
    return windows.size();
  }

  /** Windows evicted since start. */
  synchronized long evicted() {
    return evicted;
  }

  private void evictIdle() {
    Iterator<Map.Entry<ChainId, ChainWindow>> it = windows.entrySet().iterator();
    while (windows.size() > maxChains && it.hasNext()) {
      if (!it.next().getValue().inUse) {
        it.remove();
        evicted++;
      }
    }
  }
}
