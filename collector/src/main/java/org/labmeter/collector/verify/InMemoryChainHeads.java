package org.labmeter.collector.verify;

import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/** Chain heads that live as long as the process: for the demo and tests. */
public final class InMemoryChainHeads implements ChainHeads {
  private final ConcurrentMap<String, ChainHead> heads = new ConcurrentHashMap<>();

  @Override
  public Optional<ChainHead> find(String agentId, String instrumentId) {
    return Optional.ofNullable(heads.get(key(agentId, instrumentId)));
  }

  @Override
  public void advance(String agentId, String instrumentId, ChainHead head) {
    heads.put(key(agentId, instrumentId), head);
  }

  private static String key(String agentId, String instrumentId) {
    return agentId + '/' + instrumentId;
  }
}
