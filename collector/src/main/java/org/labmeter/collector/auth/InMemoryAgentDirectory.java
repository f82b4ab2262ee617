package org.labmeter.collector.auth;

import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/** A directory held in memory, for the all-in-one demo and for tests. */
public final class InMemoryAgentDirectory implements AgentDirectory {
  private final ConcurrentMap<String, AgentRecord> agents = new ConcurrentHashMap<>();

  /** Adds or replaces an agent. */
  public InMemoryAgentDirectory put(AgentRecord agent) {
    agents.put(agent.agentId(), agent);
    return this;
  }

  public void remove(String agentId) {
    agents.remove(agentId);
  }

  @Override
  public Optional<AgentRecord> find(String agentId) {
    return Optional.ofNullable(agents.get(agentId));
  }
}
