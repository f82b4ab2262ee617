package org.labmeter.collector.ingest;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
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

  /**
   * Takes several publishes, of one or more agents of the same worker, in arrival order, and
   * answers one outcome per publish, in the same order. The iterator may still be filling while the
   * sink works (publishes queued meanwhile join the group); the sink takes it to the end. An
   * implementation that writes them in one store request must fail all of them when that request
   * fails, so that none is acknowledged.
   *
   * <p>This default takes them one by one; after the first failure the rest are not processed and
   * fail too, so nothing is stored past a batch the store refused.
   */
  default List<IngestOutcome> telemetryGroup(Iterator<TelemetryPublish> group) {
    List<IngestOutcome> outcomes = new ArrayList<>();
    IngestOutcome failure = null;
    while (group.hasNext()) {
      TelemetryPublish p = group.next();
      if (failure != null) {
        outcomes.add(failure);
        continue;
      }
      IngestOutcome outcome =
          telemetry(p.agent(), p.instrumentId(), p.topic(), p.payload(), p.receivedAtMillis());
      if (!outcome.acknowledge()) {
        failure = outcome;
      }
      outcomes.add(outcome);
    }
    return outcomes;
  }

  IngestOutcome status(AgentRecord agent, byte[] payload);
}
