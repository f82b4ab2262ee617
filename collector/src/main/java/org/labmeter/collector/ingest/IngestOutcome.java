package org.labmeter.collector.ingest;

import org.labmeter.collector.verify.ChainLink;
import org.labmeter.collector.verify.RejectReason;

/** What became of one PUBLISH; decides whether the agent gets its PUBACK. */
public sealed interface IngestOutcome {

  /** Whether the agent may delete the message from its outbox. */
  default boolean acknowledge() {
    return true;
  }

  record Stored(int samples, ChainLink link) implements IngestOutcome {}

  /** Already stored earlier; acknowledged so the agent stops resending. */
  record Duplicate() implements IngestOutcome {}

  /**
   * Refused and never stored, yet acknowledged: resending identical bytes cannot change the
   * verdict, and an agent must not retry a bad batch forever. The payload is quarantined.
   */
  record Rejected(RejectReason reason) implements IngestOutcome {}

  /** A message on the agent's status topic. */
  record StatusNoted() implements IngestOutcome {}

  /** The store did not take the batch: no PUBACK, so the agent resends after reconnecting. */
  record StoreFailed(String message) implements IngestOutcome {
    @Override
    public boolean acknowledge() {
      return false;
    }
  }
}
