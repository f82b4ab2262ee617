package org.labmeter.collector.ingest;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.labmeter.collector.verify.ChainHead;
import org.labmeter.collector.verify.ChainHeads;
import org.labmeter.collector.verify.ChainId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chain heads as a group of publishes sees them before the group is stored: {@link #advance} only
 * notes the new head, so that the next batch of the same chain in the group links to it, and {@link
 * #find} answers the noted head before the durable one. After the group's write {@link #persist}
 * hands the last head of each chain to the durable {@link ChainHeads} (one call per chain and
 * group, not per batch); after a failed write {@link #discard} forgets the noted heads, as if the
 * group never arrived.
 *
 * <p>Chains of one agent are only touched by that agent's worker, so each worker persists or
 * discards exactly the chains its group touched.
 */
final class PendingChainHeads implements ChainHeads {
  private static final Logger LOG = LoggerFactory.getLogger(PendingChainHeads.class);

  private final ChainHeads durable;
  private final ConcurrentMap<ChainId, ChainHead> pending = new ConcurrentHashMap<>();

  PendingChainHeads(ChainHeads durable) {
    this.durable = Objects.requireNonNull(durable, "durable");
  }

  @Override
  public Optional<ChainHead> find(String agentId, String instrumentId) {
    ChainHead noted = pending.get(new ChainId(agentId, instrumentId));
    return noted != null ? Optional.of(noted) : durable.find(agentId, instrumentId);
  }

  /** Notes {@code head} for the group in progress; nothing is persisted yet. */
  @Override
  public void advance(String agentId, String instrumentId, ChainHead head) {
    pending.put(new ChainId(agentId, instrumentId), head);
  }

  /**
   * Persists the noted head of each of {@code chains} (those without one are skipped). A chain
   * whose head cannot be saved is logged and left to the durable store, which keeps following it in
   * this process ({@code JdbcChainHeads} does); the batches are stored either way.
   */
  void persist(Collection<ChainId> chains) {
    Map<ChainId, ChainHead> heads = new LinkedHashMap<>();
    for (ChainId chain : chains) {
      ChainHead head = pending.remove(chain);
      if (head != null) {
        heads.put(chain, head);
      }
    }
    if (heads.isEmpty()) {
      return;
    }
    try {
      durable.advanceAll(heads); // one transaction for the group, not one per chain
    } catch (RuntimeException e) {
      Map.Entry<ChainId, ChainHead> first = heads.entrySet().iterator().next();
      LOG.error(
          "Batches of {} chains are stored but their heads were not all saved (the first: up to"
              + " seq {} of agent {} on instrument {})",
          heads.size(),
          first.getValue().sequence(),
          first.getKey().agentId(),
          first.getKey().instrumentId(),
          e);
    }
  }

  /** Forgets the noted heads of {@code chains}: the durable heads count again. */
  void discard(Collection<ChainId> chains) {
    for (ChainId chain : chains) {
      pending.remove(chain);
    }
  }
}
