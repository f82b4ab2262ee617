package org.labmeter.collector.auth;

import java.util.Optional;

/**
 * Where the collector looks agents up. Implementations may block (JDBC); the collector only calls
 * them from its authentication threads, never from a network event loop.
 */
public interface AgentDirectory {

  /**
   * @return the agent, or empty when no agent has this id
   * @throws RuntimeException when the directory cannot be reached; the connection is then refused
   *     as "server unavailable" rather than "not authorised"
   */
  Optional<AgentRecord> find(String agentId);
}
