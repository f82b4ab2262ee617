package org.labmeter.collector.verify;

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
}
