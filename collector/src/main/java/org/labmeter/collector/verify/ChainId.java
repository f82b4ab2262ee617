package org.labmeter.collector.verify;

import java.util.Objects;

/** One (agent, instrument) hash chain. */
public record ChainId(String agentId, String instrumentId) {
  public ChainId {
    Objects.requireNonNull(agentId, "agentId");
    Objects.requireNonNull(instrumentId, "instrumentId");
  }

  @Override
  public String toString() {
    return agentId + "/" + instrumentId;
  }
}
