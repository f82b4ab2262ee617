package org.labmeter.collector.ingest;

import org.labmeter.collector.auth.AgentRecord;

/**
 * Where a connection hands an authorised PUBLISH. Blocking (verification, store write): the
 * connection calls it only from the agent's worker thread.
 */
public interface PublishSink {

  /**
   * @param instrumentId the instrument of the telemetry topic, already bound to the agent
   * @param receivedAtMillis when the PUBLISH arrived
   */
  IngestOutcome telemetry(
      AgentRecord agent, String instrumentId, String topic, byte[] payload, long receivedAtMillis);

  IngestOutcome status(AgentRecord agent, byte[] payload);
}
