package org.labmeter.collector.mqtt;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.labmeter.collector.auth.AgentRecord;
import org.labmeter.collector.auth.PublishTarget;
import org.labmeter.collector.ingest.IngestOutcome;
import org.labmeter.collector.ingest.PublishSink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The part of a PUBLISH that runs on the agent's worker thread. Once a store write of a connection
 * failed, its later queued publishes are skipped rather than written past the gap: the agent
 * resends all of them, in order, after it reconnects.
 */
final class PublishWork implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(PublishWork.class);

  private final PublishSink sink;
  private final AgentRecord agent;
  private final PublishTarget target;
  private final InboundPublish publish;
  private final long receivedAtMillis;
  private final AtomicBoolean abandoned;
  private final Consumer<IngestOutcome> done;

  /**
   * @param abandoned shared by all work of one connection
   * @param done receives the outcome on the worker thread; it must hand over to the event loop
   */
  PublishWork(
      PublishSink sink,
      AgentRecord agent,
      PublishTarget target,
      InboundPublish publish,
      long receivedAtMillis,
      AtomicBoolean abandoned,
      Consumer<IngestOutcome> done) {
    this.sink = sink;
    this.agent = agent;
    this.target = target;
    this.publish = publish;
    this.receivedAtMillis = receivedAtMillis;
    this.abandoned = abandoned;
    this.done = done;
  }

  @Override
  public void run() {
    if (abandoned.get()) {
      return;
    }
    IngestOutcome outcome;
    try {
      outcome =
          target instanceof PublishTarget.Telemetry telemetry
              ? sink.telemetry(
                  agent,
                  telemetry.instrumentId(),
                  publish.topic(),
                  publish.payload(),
                  receivedAtMillis)
              : sink.status(agent, publish.payload());
    } catch (RuntimeException e) {
      LOG.error(
          "Processing a publish of agent {} on {} failed; not acknowledged",
          agent.agentId(),
          publish.topic(),
          e);
      outcome = new IngestOutcome.StoreFailed(e.toString());
    }
    if (!outcome.acknowledge()) {
      abandoned.set(true);
    }
    done.accept(outcome);
  }
}
