package org.labmeter.collector.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.labmeter.collector.QuestDbQuery.count;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.labmeter.collector.Collector;
import org.labmeter.collector.TestBatches;
import org.labmeter.collector.auth.InMemoryAgentDirectory;
import org.labmeter.collector.config.CollectorConfig;
import org.labmeter.collector.store.EmbeddedQuestDb;
import org.labmeter.collector.verify.InMemoryChainHeads;
import org.labmeter.wire.Ed25519Signer;
import org.labmeter.wire.SignedBatch;

/**
 * Bridge mode against real peers: Mosquitto as the external broker, agents played by Paho
 * publishing signed batches to it, collectors sharing one subscription, QuestDB in this JVM.
 */
class MqttBridgeIntegrationTest {
  private static final Ed25519Signer KEY = TestBatches.signer(7);
  private static final Ed25519Signer OTHER_KEY = TestBatches.signer(8);

  @TempDir static Path dir;
  private static EmbeddedQuestDb db;
  private static BridgeBroker broker;
  private static InMemoryAgentDirectory agents;
  private static long start;

  private final List<Collector> collectors = new ArrayList<>();
  private final List<MqttClient> publishers = new ArrayList<>();
  private final InMemoryChainHeads heads = new InMemoryChainHeads();

  @BeforeAll
  static void startPeers() throws Exception {
    db = EmbeddedQuestDb.start(dir.resolve("questdb"), 0, 0);
    broker = BridgeBroker.start(dir.resolve("broker"));
    agents =
        new InMemoryAgentDirectory()
            .put(TestBatches.agent("agent-b1", "unused", KEY, "nmr-b1"))
            .put(TestBatches.agent("agent-b2", "unused", KEY, "nmr-b2"))
            .put(TestBatches.agent("agent-b3", "unused", KEY, "nmr-b3"))
            .put(TestBatches.agent("agent-x", "unused", OTHER_KEY, "sem-x"));
    start = (System.currentTimeMillis() / 1000 - 1200) * 1000;
  }

  @AfterEach
  void stopCollectors() throws MqttException {
    for (MqttClient p : publishers) {
      p.disconnect();
      p.close();
    }
    collectors.forEach(Collector::stop);
  }

  @AfterAll
  static void stopPeers() throws Exception {
    broker.close();
    db.close();
  }

  private Collector collector(String clientId, String group, MeterRegistry registry) {
    Collector c =
        new Collector(
            CollectorConfig.create(
                b ->
                    b.mqttPort(0)
                        .ioThreads(1)
                        .workerShards(2)
                        .storeUrl(db.httpUrl())
                        .bridgeUri(broker.uri())
                        .bridgeClientId(clientId)
                        .bridgeGroup(group)),
            agents,
            heads,
            registry);
    collectors.add(c);
    c.start().orTimeout(30, TimeUnit.SECONDS).join();
    return c;
  }

  private MqttClient publisher(String clientId) throws MqttException {
    MqttClient client = new MqttClient(broker.uri(), clientId, new MemoryPersistence());
    MqttConnectOptions options = new MqttConnectOptions();
    options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
    options.setCleanSession(true);
    options.setMaxInflight(1000);
    client.setTimeToWait(20_000);
    client.connect(options);
    publishers.add(client);
    return client;
  }

  private static void publish(MqttClient client, String topic, List<SignedBatch> batches)
      throws MqttException {
    for (SignedBatch b : batches) {
      client.publish(topic, b.envelope(), 1, false); // returns once the broker has it
    }
  }

  private static long rows(String instrument) {
    return count(
        db.httpUrl(), "select count() from lm_batches where instrument = '" + instrument + "'");
  }

  private static long distinctSeqs(String instrument) {
    return count(
        db.httpUrl(),
        "select count_distinct(seq) from lm_batches where instrument = '" + instrument + "'");
  }

  private static double counter(MeterRegistry registry, String name) {
    return registry.counter(name).count();
  }

  @Test
  void oneBridgeCollectorStoresEveryBatchOnceAndRefusesWhatTheRegistryDoesNotAllow()
      throws Exception {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    collector("bridge-one", "g1", registry);
    List<SignedBatch> chain = TestBatches.chain(KEY, "agent-b1", "nmr-b1", 30, start, 5);
    MqttClient agent = publisher("agent-b1-pub");

    publish(agent, "labmeter/v1/agent-b1/nmr-b1/telemetry", chain);
    publish(agent, "labmeter/v1/agent-b1/nmr-b1/telemetry", chain.subList(29, 30)); // again
    // signed by agent-x for its own instrument, but published on agent-b1's topic
    publish(
        agent,
        "labmeter/v1/agent-b1/nmr-b1/telemetry",
        TestBatches.chain(OTHER_KEY, "agent-x", "sem-x", 1, start, 5));
    // an instrument not bound to the agent, and an agent the registry does not know
    publish(agent, "labmeter/v1/agent-b1/sem-x/telemetry", chain.subList(0, 1));
    publish(agent, "labmeter/v1/agent-zz/nmr-b1/telemetry", chain.subList(0, 1));
    agent.publish(
        "labmeter/v1/agent-b1/status",
        "{\"state\":\"online\"}".getBytes(StandardCharsets.UTF_8),
        1,
        false);

    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> counter(registry, "collector.bridge.acknowledged") == 35);
    // acknowledged means committed; the WAL makes the rows visible to queries a little later
    await().atMost(Duration.ofSeconds(30)).until(() -> rows("nmr-b1") == 30);
    assertThat(distinctSeqs("nmr-b1")).isEqualTo(30);
    assertThat(
            count(
                db.httpUrl(),
                "select count() from lm_samples where instrument = 'nmr-b1' and verified"))
        .isEqualTo(150);
    assertThat(counter(registry, "collector.duplicates")).isEqualTo(1);
    assertThat(registry.counter("collector.rejected", "reason", "agent_mismatch").count())
        .isEqualTo(1);
    assertThat(registry.counter("collector.rejected", "reason", "acl").count()).isEqualTo(1);
    assertThat(registry.counter("collector.rejected", "reason", "unknown_agent").count())
        .isEqualTo(1);
    assertThat(counter(registry, "collector.status.messages")).isEqualTo(1);
    assertThat(counter(registry, "collector.bridge.withheld")).isZero();
  }

  @Test
  void twoCollectorsSplitTheLoadAndTogetherStoreEveryBatchOnce() throws Exception {
    SimpleMeterRegistry r1 = new SimpleMeterRegistry();
    SimpleMeterRegistry r2 = new SimpleMeterRegistry();
    collector("bridge-two-a", "g2", r1);
    collector("bridge-two-b", "g2", r2);
    List<SignedBatch> chain = TestBatches.chain(KEY, "agent-b2", "nmr-b2", 60, start, 5);

    publish(publisher("agent-b2-pub"), "labmeter/v1/agent-b2/nmr-b2/telemetry", chain);

    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                counter(r1, "collector.bridge.acknowledged")
                        + counter(r2, "collector.bridge.acknowledged")
                    == 60);
    assertThat(counter(r1, "collector.bridge.received")).isPositive();
    assertThat(counter(r2, "collector.bridge.received")).isPositive();
    assertThat(counter(r1, "collector.bridge.received") + counter(r2, "collector.bridge.received"))
        .isEqualTo(60);
    await().atMost(Duration.ofSeconds(30)).until(() -> rows("nmr-b2") == 60);
    assertThat(distinctSeqs("nmr-b2")).isEqualTo(60);
  }

  @Test
  void whatAKilledCollectorHadNotAcknowledgedIsStoredOnceAfterAll() throws Exception {
    SimpleMeterRegistry ra = new SimpleMeterRegistry();
    SimpleMeterRegistry rb = new SimpleMeterRegistry();
    Collector a = collector("bridge-kill-a", "g3", ra);
    collector("bridge-kill-b", "g3", rb);
    List<SignedBatch> chain = TestBatches.chain(KEY, "agent-b3", "nmr-b3", 120, start, 5);
    String topic = "labmeter/v1/agent-b3/nmr-b3/telemetry";
    MqttClient agent = publisher("agent-b3-pub");

    publish(agent, topic, chain.subList(0, 40));
    // crash it while messages are still coming in: no DISCONNECT, nothing acknowledged after
    a.bridge().orElseThrow().dropConnection();
    publish(agent, topic, chain.subList(40, 120));
    a.stop();
    double unacknowledged =
        counter(ra, "collector.bridge.received") - counter(ra, "collector.bridge.acknowledged");

    SimpleMeterRegistry ra2 = new SimpleMeterRegistry();
    collector("bridge-kill-a", "g3", ra2); // the replacement, with the killed one's client id

    await().atMost(Duration.ofSeconds(60)).until(() -> distinctSeqs("nmr-b3") == 120);
    assertThat(rows("nmr-b3")).isEqualTo(120);
    // the broker kept what the killed one had not acknowledged, and sent it to its replacement
    assertThat(counter(ra2, "collector.bridge.received")).isGreaterThanOrEqualTo(unacknowledged);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                counter(ra, "collector.bridge.acknowledged")
                        + counter(rb, "collector.bridge.acknowledged")
                        + counter(ra2, "collector.bridge.acknowledged")
                    == 120);
  }
}
