package org.labmeter.collector.bridge;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.labmeter.collector.auth.AgentDirectory;
import org.labmeter.collector.auth.AgentRecord;
import org.labmeter.collector.auth.PublishTarget;
import org.labmeter.collector.auth.TopicAcl;
import org.labmeter.collector.ingest.GroupableTask;
import org.labmeter.collector.ingest.IngestOutcome;
import org.labmeter.collector.ingest.PublishSink;
import org.labmeter.collector.ingest.TelemetryPublish;
import org.labmeter.collector.metrics.CollectorMetrics;
import org.labmeter.wire.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One message taken from the broker, run on the agent's worker thread alone or with the bridge
 * messages queued behind it. The broker authenticated the sender, but not against our registry: the
 * agent of the topic must be enrolled and enabled, the topic must be its own (an instrument bound
 * to it, or its status), and the telemetry then goes through the same {@link PublishSink} as the
 * listener's, which checks that the envelope names the topic's agent and instrument, the signature
 * and the chain. Refusals are counted and acknowledged; only a failed write is not.
 */
final class BridgeWork implements GroupableTask {
  private static final Logger LOG = LoggerFactory.getLogger(BridgeWork.class);

  /** What the bridge does with the message once its work is done. */
  enum Ack {
    /** Stored, duplicate, status noted or refused: tell the broker it may forget it. */
    ACKNOWLEDGE,
    /** Not durably taken: leave it unacknowledged so that the broker sends it again. */
    WITHHOLD
  }

  private final MqttBridge bridge;
  final String topic;
  final byte[] payload;
  final int messageId;
  final int qos;
  final long generation;
  final long receivedAtMillis;

  BridgeWork(
      MqttBridge bridge,
      String topic,
      byte[] payload,
      int messageId,
      int qos,
      long generation,
      long receivedAtMillis) {
    this.bridge = bridge;
    this.topic = topic;
    this.payload = payload;
    this.messageId = messageId;
    this.qos = qos;
    this.generation = generation;
    this.receivedAtMillis = receivedAtMillis;
  }

  /** The agent the topic names, or the topic itself when it names none (it is refused anyway). */
  static String agentOf(String topic) {
    return Topics.parseTelemetry(topic)
        .map(Topics.TelemetryTopic::agentId)
        .or(() -> Topics.parseStatus(topic))
        .orElse(topic);
  }

  @Override
  public void run() {
    runGroup(List.<GroupableTask>of(this).iterator());
  }

  @Override
  public Object groupKey() {
    return bridge;
  }

  @Override
  public int groupBytes() {
    return payload.length;
  }

  @Override
  public void runGroup(Iterator<GroupableTask> group) {
    List<BridgeWork> works = new ArrayList<>();
    group.forEachRemaining(t -> works.add((BridgeWork) t));
    List<Ack> acks;
    try {
      acks = process(works);
    } catch (RuntimeException e) {
      LOG.error(
          "Processing {} bridged messages failed (the first on topic {}); none acknowledged",
          works.size(),
          works.get(0).topic,
          e);
      acks = Collections.nCopies(works.size(), Ack.WITHHOLD);
    }
    for (int i = 0; i < works.size(); i++) {
      bridge.complete(works.get(i), acks.get(i));
    }
  }

  private List<Ack> process(List<BridgeWork> works) {
    AgentDirectory directory = bridge.directory();
    PublishSink sink = bridge.sink();
    CollectorMetrics metrics = bridge.metrics();
    Map<String, Optional<AgentRecord>> agents = new HashMap<>();
    List<Ack> acks = new ArrayList<>(Collections.nCopies(works.size(), Ack.ACKNOWLEDGE));
    List<Integer> telemetryAt = new ArrayList<>();
    List<TelemetryPublish> telemetry = new ArrayList<>();
    for (int i = 0; i < works.size(); i++) {
      BridgeWork w = works.get(i);
      String agentId = agentOf(w.topic);
      Optional<AgentRecord> agent = agents.computeIfAbsent(agentId, directory::find);
      if (agent.isEmpty() || !agent.get().enabled()) {
        metrics.rejected("unknown_agent");
        LOG.warn(
            "Bridged message on topic {}: agent {} is {}; acknowledged, not stored",
            w.topic,
            agentId,
            agent.isEmpty() ? "not enrolled" : "disabled");
        continue;
      }
      PublishTarget target = TopicAcl.classify(agent.get(), w.topic);
      if (target instanceof PublishTarget.Telemetry t) {
        telemetryAt.add(i);
        telemetry.add(
            new TelemetryPublish(
                agent.get(), t.instrumentId(), w.topic, w.payload, w.receivedAtMillis));
      } else if (target instanceof PublishTarget.Status) {
        if (!sink.status(agent.get(), w.payload).acknowledge()) {
          acks.set(i, Ack.WITHHOLD);
        }
      } else {
        metrics.rejected("acl");
        LOG.warn(
            "Bridged message on topic {} refused: {}; acknowledged, not stored",
            w.topic,
            ((PublishTarget.Denied) target).why());
      }
    }
    if (telemetry.isEmpty()) {
      return acks;
    }
    List<IngestOutcome> outcomes = sink.telemetryGroup(telemetry.iterator());
    boolean complete = outcomes.size() == telemetry.size();
    if (!complete) {
      LOG.error(
          "The sink answered {} outcomes for {} bridged publishes; none acknowledged",
          outcomes.size(),
          telemetry.size());
    }
    for (int k = 0; k < telemetryAt.size(); k++) {
      if (!complete || !outcomes.get(k).acknowledge()) {
        acks.set(telemetryAt.get(k), Ack.WITHHOLD);
      }
    }
    return acks;
  }
}
