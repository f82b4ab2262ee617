package org.labmeter.collector.verify;

import java.util.Map;
import java.util.Optional;

/**
 * Where the collector remembers the head of each (agent, instrument) hash chain, so that a
 * restarted collector still sees gaps and replays. Implementations may block; they are only called
 * from the worker that owns the agent, so calls for one chain never overlap.
 */
public interface ChainHeads {

  Optional<ChainHead> find(String agentId, String instrumentId);

  /** Records {@code head} as the new head; called only after the batch was stored. */
  void advance(String agentId, String instrumentId, ChainHead head);

  /**
   * Records the new head of each chain, as {@link #advance} would one by one; stores that can save
   * them together (one transaction) do. The first failure is thrown after the others were tried.
   */
  default void advanceAll(Map<ChainId, ChainHead> heads) {
    RuntimeException failed = null;
    for (Map.Entry<ChainId, ChainHead> e : heads.entrySet()) {
      try {
        advance(e.getKey().agentId(), e.getKey().instrumentId(), e.getValue());
      } catch (RuntimeException ex) {
        if (failed == null) {
          failed = ex;
        } else {
          failed.addSuppressed(ex);
        }
      }
    }
    if (failed != null) {
      throw failed;
    }
  }
}
