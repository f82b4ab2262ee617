package org.labmeter.collector.mqtt;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.labmeter.collector.auth.AgentRecord;
import org.labmeter.collector.auth.PublishTarget;
import org.labmeter.collector.ingest.GroupableTask;
import org.labmeter.collector.ingest.IngestOutcome;
import org.labmeter.collector.ingest.PublishSink;
import org.labmeter.collector.ingest.TelemetryPublish;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The part of a PUBLISH that runs on the agent's worker thread, alone or in a group with the
 * publishes queued behind it on the same worker (possibly of other connections). A group's
 * telemetry goes to the sink in one call, hence one store request; its outcomes are delivered in
 * arrival order, so each connection sends its PUBACKs in PUBLISH order. If anything in the group
 * failed, nothing in it is acknowledged and every connection in it closes.
 *
 * <p>Once a store write of a connection failed, its later queued publishes are skipped rather than
 * written past the gap: the agent resends all of them, in order, after it reconnects.
 */
final class PublishWork implements GroupableTask {
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
    runGroup(List.<GroupableTask>of(this).iterator());
  }

  /** Work for the same sink groups together. */
  @Override
  public Object groupKey() {
    return sink;
  }

  @Override
  public int groupBytes() {
    return publish.payload().length;
  }

  @Override
  public void runGroup(Iterator<GroupableTask> group) {
    List<PublishWork> live = new ArrayList<>();
    TelemetryOf telemetry = new TelemetryOf(group, live);
    List<IngestOutcome> stored = telemetry.hasNext() ? storeTelemetry(telemetry) : List.of();
    if (live.isEmpty()) {
      return;
    }
    IngestOutcome failure = stored.stream().filter(o -> !o.acknowledge()).findFirst().orElse(null);
    int next = 0;
    List<IngestOutcome> outcomes = new ArrayList<>(live.size());
    for (PublishWork work : live) {
      IngestOutcome outcome =
          work.target instanceof PublishTarget.Telemetry ? stored.get(next++) : status(work);
      outcomes.add(failure != null ? failure : outcome);
    }
    for (int i = 0; i < live.size(); i++) {
      PublishWork work = live.get(i);
      if (!outcomes.get(i).acknowledge()) {
        work.abandoned.set(true);
      }
      work.done.accept(outcomes.get(i));
    }
  }

  /**
   * The telemetry of a group, taken from the worker's queue as the sink asks for it. Work of an
   * abandoned connection is skipped; every other work taken, status included, is noted in {@code
   * live} in queue order.
   */
  private static final class TelemetryOf implements Iterator<TelemetryPublish> {
    private final Iterator<GroupableTask> tasks;
    private final List<PublishWork> live;
    private TelemetryPublish next;

    TelemetryOf(Iterator<GroupableTask> tasks, List<PublishWork> live) {
      this.tasks = tasks;
      this.live = live;
    }

    @Override
    public boolean hasNext() {
      while (next == null && tasks.hasNext()) {
        PublishWork work = (PublishWork) tasks.next();
        if (work.abandoned.get()) {
          continue;
        }
        live.add(work);
        if (work.target instanceof PublishTarget.Telemetry t) {
          next =
              new TelemetryPublish(
                  work.agent,
                  t.instrumentId(),
                  work.publish.topic(),
                  work.publish.payload(),
                  work.receivedAtMillis);
        }
      }
      return next != null;
    }

    @Override
    public TelemetryPublish next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      TelemetryPublish p = next;
      next = null;
      return p;
    }
  }

  private IngestOutcome status(PublishWork work) {
    try {
      return sink.status(work.agent, work.publish.payload());
    } catch (RuntimeException e) {
      LOG.error(
          "Processing a status publish of agent {} failed; not acknowledged",
          work.agent.agentId(),
          e);
      return new IngestOutcome.StoreFailed(e.toString());
    }
  }

  private List<IngestOutcome> answers(TelemetryOf telemetry) {
    try {
      return sink.telemetryGroup(telemetry);
    } catch (RuntimeException e) {
      LOG.error(
          "Processing a group of publishes of agent {} failed; none acknowledged",
          agent.agentId(),
          e);
      return List.of(new IngestOutcome.StoreFailed(e.toString()));
    }
  }

  /**
   * One outcome per telemetry publish taken, in order. If the sink throws, stops early or answers
   * the wrong number of outcomes, all of them fail. Work the sink did not take stays queued for the
   * next group.
   */
  private List<IngestOutcome> storeTelemetry(TelemetryOf telemetry) {
    List<IngestOutcome> outcomes = answers(telemetry);
    long taken =
        telemetry.live.stream().filter(w -> w.target instanceof PublishTarget.Telemetry).count();
    if (outcomes.size() == taken) {
      return outcomes;
    }
    IngestOutcome failed =
        outcomes.stream()
            .filter(o -> !o.acknowledge())
            .findFirst()
            .orElseGet(
                () -> {
                  LOG.error(
                      "The sink answered {} outcomes for {} publishes; none acknowledged",
                      outcomes.size(),
                      taken);
                  return new IngestOutcome.StoreFailed("sink answered too few outcomes");
                });
    return Collections.nCopies((int) taken, failed);
  }
}
