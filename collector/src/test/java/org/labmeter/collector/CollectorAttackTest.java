package org.labmeter.collector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.labmeter.collector.QuestDbQuery.count;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.labmeter.collector.auth.InMemoryAgentDirectory;
import org.labmeter.collector.config.CollectorConfig;
import org.labmeter.collector.store.EmbeddedQuestDb;
import org.labmeter.collector.verify.InMemoryChainHeads;
import org.labmeter.collector.verify.RejectReason;
import org.labmeter.wire.BatchHash;
import org.labmeter.wire.Ed25519Signer;
import org.labmeter.wire.SignedBatch;

/**
 * Attacks on a running collector (real listener, embedded QuestDB) while a well-behaved agent keeps
 * publishing over Paho. Each case checks what became of the attacking connection and that nothing
 * of it reached the store; the last test checks that the good agent was never held up and that each
 * of its batches was stored exactly once.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CollectorAttackTest {
  private static final Ed25519Signer GOOD_KEY = TestBatches.signer(1);
  private static final Ed25519Signer KEY_2 = TestBatches.signer(2);
  private static final Ed25519Signer KEY_3 = TestBatches.signer(3);
  private static final String GOOD_TOPIC = "labmeter/v1/good-1/nmr-1/telemetry";
  private static final String SEM_1 = "labmeter/v1/agent-2/sem-1/telemetry";

  /** The longest a well-behaved agent may wait for its next PUBACK while attacks go on. */
  private static final Duration MAX_ACK_GAP = Duration.ofSeconds(3);

  @TempDir static Path dir;
  private static EmbeddedQuestDb db;
  private static Collector collector;
  private static SimpleMeterRegistry registry;
  private static long start;
  private static GoodAgent good;

  @BeforeAll
  static void startStoreCollectorAndGoodAgent() throws Exception {
    db = EmbeddedQuestDb.start(dir.resolve("questdb"), 0, 0);
    InMemoryAgentDirectory agents =
        new InMemoryAgentDirectory()
            .put(TestBatches.agent("good-1", "secret-g", GOOD_KEY, "nmr-1"))
            .put(TestBatches.agent("agent-2", "secret-2", KEY_2, "sem-1", "sem-2", "sem-3"))
            .put(TestBatches.agent("agent-3", "secret-3", KEY_3, "ms-3"));
    registry = new SimpleMeterRegistry();
    collector =
        new Collector(
            CollectorConfig.create(
                b -> b.mqttPort(0).storeUrl(db.httpUrl()).workerShards(2).ioThreads(2)),
            agents,
            new InMemoryChainHeads(),
            registry);
    collector.start().orTimeout(30, TimeUnit.SECONDS).join();
    // whole seconds, six hours back: the good agent's 2-sample batches never reach "now"
    start = (System.currentTimeMillis() / 1000 - 6 * 3600) * 1000;
    good = new GoodAgent(paho("good-agent", "good-1", "secret-g"));
    good.start();
    await().atMost(Duration.ofSeconds(20)).until(() -> good.acked() >= 3);
  }

  @AfterAll
  static void stopAll() throws Exception {
    if (good != null) {
      good.stop();
    }
    collector.stop();
    db.close();
    assertThat(LeakLog.reports()).isEmpty();
  }

  // ---- connections that stay open: the batch is acknowledged and refused ----

  @Test
  @Order(1)
  void aForgedSignatureIsAcknowledgedQuarantinedAndNotStored() throws Exception {
    // agent-2's own topic and ids, but signed with agent-3's key
    SignedBatch forged = TestBatches.batch(KEY_3, "agent-2", "sem-1", 0, BatchHash.ZERO, start, 3);
    double before = rejected(RejectReason.BAD_SIGNATURE.tag());
    MqttClient client = paho("attacker-forged", "agent-2", "secret-2");
    try {
      client.publish(SEM_1, forged.envelope(), 1, false); // returns once PUBACKed
      assertThat(client.isConnected()).isTrue();
    } finally {
      disconnect(client);
    }
    assertThat(rejected("bad_signature")).isEqualTo(before + 1);
    assertThat(collector.quarantine().recent())
        .anySatisfy(q -> assertThat(q.payload()).isEqualTo(forged.envelope()));
    assertThat(batches("sem-1")).isZero();
    goodAgentKeepsGoing();
  }

  @Test
  @Order(2)
  void aReplayedBatchIsCountedAsDuplicateAndAddsNoRows() throws Exception {
    List<SignedBatch> chain = TestBatches.chain(KEY_2, "agent-2", "sem-2", 3, start, 4);
    String topic = "labmeter/v1/agent-2/sem-2/telemetry";
    MqttClient client = paho("attacker-replay", "agent-2", "secret-2");
    try {
      client.publish(topic, chain.get(0).envelope(), 1, false);
      client.publish(topic, chain.get(1).envelope(), 1, false);
      // the two tables apply their writes independently: wait for both
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> samples("sem-2") == 8 && batches("sem-2") == 2);
      double duplicatesBefore = registry.counter("collector.duplicates").count();

      client.publish(topic, chain.get(0).envelope(), 1, false); // old sequence, same bytes

      assertThat(registry.counter("collector.duplicates").count()).isEqualTo(duplicatesBefore + 1);
      assertThat(client.isConnected()).isTrue();
      // once the batch after the replay is visible, the replay would have been applied too
      client.publish(topic, chain.get(2).envelope(), 1, false);
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> samples("sem-2") == 12 && batches("sem-2") == 3);
    } finally {
      disconnect(client);
    }
    goodAgentKeepsGoing();
  }

  @Test
  @Order(3)
  void anUnknownEnvelopeVersionIsAcknowledgedQuarantinedAndNotStored() throws Exception {
    byte[] v2 =
        TestBatches.batch(KEY_2, "agent-2", "sem-3", 0, BatchHash.ZERO, start, 3).envelope();
    v2[4] = 2; // the version byte, right after the magic "LMTB"
    double before = rejected(RejectReason.UNSUPPORTED_VERSION.tag());
    MqttClient client = paho("attacker-v2", "agent-2", "secret-2");
    try {
      client.publish("labmeter/v1/agent-2/sem-3/telemetry", v2, 1, false);
      assertThat(client.isConnected()).isTrue();
    } finally {
      disconnect(client);
    }
    assertThat(rejected("unsupported_version")).isEqualTo(before + 1);
    assertThat(collector.quarantine().recent())
        .anySatisfy(q -> assertThat(q.payload()).isEqualTo(v2));
    assertThat(batches("sem-3")).isZero();
    goodAgentKeepsGoing();
  }

  // ---- connections that are closed by Paho-visible refusals ----

  @Test
  @Order(4)
  void aPublishToAnotherAgentsTopicClosesTheConnection() throws Exception {
    // a genuine batch of agent-3, sent by agent-2 on agent-3's topic
    SignedBatch theirs = TestBatches.batch(KEY_3, "agent-3", "ms-3", 0, BatchHash.ZERO, start, 3);
    double before = rejected("acl");
    MqttClient client = paho("attacker-acl", "agent-2", "secret-2");
    assertConnectionLost(
        client,
        () -> client.publish("labmeter/v1/agent-3/ms-3/telemetry", theirs.envelope(), 1, false));
    assertThat(rejected("acl")).isEqualTo(before + 1);
    assertThat(batches("ms-3")).isZero();
    goodAgentKeepsGoing();
  }

  @Test
  @Order(5)
  void aQos2PublishClosesTheConnection() throws Exception {
    SignedBatch batch = TestBatches.batch(KEY_2, "agent-2", "sem-1", 0, BatchHash.ZERO, start, 3);
    double before = rejected("qos2");
    MqttClient client = paho("attacker-qos2", "agent-2", "secret-2");
    assertConnectionLost(client, () -> client.publish(SEM_1, batch.envelope(), 2, false));
    assertThat(rejected("qos2")).isEqualTo(before + 1);
    assertThat(batches("sem-1")).isZero();
    goodAgentKeepsGoing();
  }

  @Test
  @Order(6)
  void aOneMegabytePayloadClosesTheConnection() throws Exception {
    byte[] huge = new byte[1 << 20];
    double before = rejected("bad_packet");
    MqttClient client = paho("attacker-huge", "agent-2", "secret-2");
    assertConnectionLost(client, () -> client.publish(SEM_1, huge, 1, false));
    assertThat(rejected("bad_packet")).isEqualTo(before + 1);
    assertThat(batches("sem-1")).isZero();
    goodAgentKeepsGoing();
  }

  // ---- raw frames over a plain socket ----

  @Test
  @Order(7)
  void aWrongPasswordGetsConnAck5AndIsClosed() throws Exception {
    try (RawMqtt raw = new RawMqtt(collector.mqttPort())) {
      raw.send(RawMqtt.connect("attacker-pw", "agent-2", "not-the-secret"));
      assertThat(raw.readConnAck()).isEqualTo(5); // not authorized
      assertThat(raw.closedWithoutReply()).isTrue();
    }
    assertThat(refused("bad_credential")).isEqualTo(1);
    goodAgentKeepsGoing();
  }

  @Test
  @Order(8)
  void missingCredentialsGetConnAck5AndAreClosed() throws Exception {
    try (RawMqtt raw = new RawMqtt(collector.mqttPort())) {
      raw.send(
          new byte[] {
            0x10,
            14, // CONNECT, remaining length 14
            0x00,
            0x04,
            'M',
            'Q',
            'T',
            'T', // protocol name
            0x04, // protocol level 4 (3.1.1)
            0x02, // flags: clean session only, no user name, no password
            0x00,
            0x1E, // keep-alive 30 s
            0x00,
            0x02,
            'c',
            '1' // client id "c1"
          });
      assertThat(raw.readConnAck()).isEqualTo(5);
      assertThat(raw.closedWithoutReply()).isTrue();
    }
    try (RawMqtt raw = new RawMqtt(collector.mqttPort())) {
      // a user name but no password
      raw.send(RawMqtt.connect("attacker-nopw", "agent-2", null));
      assertThat(raw.readConnAck()).isEqualTo(5);
      assertThat(raw.closedWithoutReply()).isTrue();
    }
    goodAgentKeepsGoing();
  }

  @Test
  @Order(9)
  void packetsBeforeConnectCloseTheConnectionWithoutAReply() throws Exception {
    double before = rejected("protocol");
    byte[] batch =
        TestBatches.batch(KEY_2, "agent-2", "sem-1", 0, BatchHash.ZERO, start, 3).envelope();
    try (RawMqtt raw = new RawMqtt(collector.mqttPort())) {
      raw.send(RawMqtt.publishQos1(SEM_1, batch)); // a PUBLISH as the first packet
      assertThat(raw.closedWithoutReply()).isTrue();
    }
    try (RawMqtt raw = new RawMqtt(collector.mqttPort())) {
      raw.send(new byte[] {(byte) 0xC0, 0x00}); // PINGREQ, remaining length 0
      assertThat(raw.closedWithoutReply()).isTrue();
    }
    assertThat(rejected("protocol")).isEqualTo(before + 2);
    assertThat(batches("sem-1")).isZero();
    goodAgentKeepsGoing();
  }

  @Test
  @Order(10)
  void aSecondConnectClosesTheConnection() throws Exception {
    double before = rejected("protocol");
    try (RawMqtt raw = connectedRaw("attacker-twice")) {
      raw.send(RawMqtt.connect("attacker-twice", "agent-2", "secret-2"));
      assertThat(raw.closedWithoutReply()).isTrue();
    }
    assertThat(rejected("protocol")).isEqualTo(before + 1);
    goodAgentKeepsGoing();
  }

  @Test
  @Order(11)
  void aZeroLengthTopicClosesTheConnection() throws Exception {
    double before = rejected("acl");
    byte[] batch =
        TestBatches.batch(KEY_2, "agent-2", "sem-1", 0, BatchHash.ZERO, start, 3).envelope();
    try (RawMqtt raw = connectedRaw("attacker-empty")) {
      raw.send(RawMqtt.publishQos1(new byte[0], batch)); // topic length 0x0000
      assertThat(raw.closedWithoutReply()).as("closed, no PUBACK").isTrue();
    }
    assertThat(rejected("acl")).isEqualTo(before + 1);
    assertThat(batches("sem-1")).isZero();
    goodAgentKeepsGoing();
  }

  @Test
  @Order(12)
  void wildcardsInAPublishTopicCloseTheConnection() throws Exception {
    double before = rejected("bad_packet");
    byte[] batch =
        TestBatches.batch(KEY_2, "agent-2", "sem-1", 0, BatchHash.ZERO, start, 3).envelope();
    for (String topic :
        List.of("labmeter/v1/agent-2/+/telemetry", "labmeter/v1/agent-2/#", "labmeter/v1/+/#")) {
      try (RawMqtt raw = connectedRaw("attacker-wildcard")) {
        raw.send(RawMqtt.publishQos1(topic, batch));
        assertThat(raw.closedWithoutReply()).as(topic).isTrue();
      }
    }
    assertThat(rejected("bad_packet")).isEqualTo(before + 3);
    assertThat(batches("sem-1")).isZero();
    goodAgentKeepsGoing();
  }

  @Test
  @Order(13)
  void invalidUtf8InTheTopicClosesTheConnection() throws Exception {
    double before = rejected("bad_packet");
    byte[] batch =
        TestBatches.batch(KEY_2, "agent-2", "sem-1", 0, BatchHash.ZERO, start, 3).envelope();
    byte[] topic = SEM_1.getBytes(StandardCharsets.US_ASCII);
    topic[topic.length - 1] = (byte) 0xC3; // a lead byte of a 2-byte sequence ...
    topic[topic.length - 2] = (byte) 0xFF; // ... after a byte that never occurs in UTF-8
    try (RawMqtt raw = connectedRaw("attacker-utf8")) {
      raw.send(RawMqtt.publishQos1(topic, batch));
      assertThat(raw.closedWithoutReply()).isTrue();
    }
    assertThat(rejected("bad_packet")).isEqualTo(before + 1);
    assertThat(batches("sem-1")).isZero();
    goodAgentKeepsGoing();
  }

  @Test
  @Order(14)
  void aMalformedOrOversizedRemainingLengthClosesTheConnection() throws Exception {
    double before = rejected("bad_packet");
    try (RawMqtt raw = connectedRaw("attacker-length-5")) {
      raw.send(
          new byte[] {
            0x32, // PUBLISH, QoS 1
            (byte) 0xFF,
            (byte) 0xFF,
            (byte) 0xFF,
            (byte) 0xFF, // four length bytes, all "more"
            0x01, // a fifth length byte: MQTT allows at most four
            0x00,
            0x01,
            'x' // what would have been a topic
          });
      assertThat(raw.closedWithoutReply()).isTrue();
    }
    try (RawMqtt raw = connectedRaw("attacker-length-max")) {
      raw.send(
          new byte[] {
            0x32, // PUBLISH, QoS 1
            (byte) 0xFF,
            (byte) 0xFF,
            (byte) 0xFF,
            0x7F, // 268,435,455: the MQTT maximum
            0x00,
            0x01,
            'x' // and then only a few bytes: refused on the header alone
          });
      assertThat(raw.closedWithoutReply()).isTrue();
    }
    try (RawMqtt raw = new RawMqtt(collector.mqttPort())) {
      raw.send(
          new byte[] {
            0x10, // CONNECT
            (byte) 0x80,
            (byte) 0x80,
            (byte) 0x80,
            (byte) 0x80,
            0x01 // five length bytes
          });
      assertThat(raw.closedWithoutReply()).as("before CONNECT").isTrue();
    }
    assertThat(rejected("bad_packet")).isEqualTo(before + 3);
    goodAgentKeepsGoing();
  }

  // ---- the good agent, after everything ----

  @Test
  @Order(Integer.MAX_VALUE)
  void theGoodAgentWasNeverHeldUpAndEachOfItsBatchesWasStoredOnce() throws Exception {
    good.stop();
    int acked = good.acked();
    assertThat(good.failures()).isEmpty();
    Duration gap = good.longestGap();
    System.out.printf("good agent: %d batches acknowledged, longest PUBACK gap %s%n", acked, gap);
    assertThat(gap).isLessThan(MAX_ACK_GAP);

    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> batches("nmr-1") == acked && samples("nmr-1") == 2L * acked);
    // Exactly once: every batch of the good agent accepted once, none seen as a duplicate; the
    // only other accepted batches are the three of the replay case, the only duplicate its replay.
    assertThat(registry.counter("collector.batches.accepted").count()).isEqualTo(acked + 3.0);
    assertThat(registry.counter("collector.duplicates").count()).isEqualTo(1.0);
    assertThat(count(db.httpUrl(), "select count() from lm_batches")).isEqualTo(acked + 3L);
    assertThat(count(db.httpUrl(), "select count() from lm_samples")).isEqualTo(2L * acked + 12);
  }

  // ---- helpers ----

  /** The good agent's PUBACKs keep coming: three more within a few seconds. */
  private static void goodAgentKeepsGoing() {
    int now = good.acked();
    await().atMost(Duration.ofSeconds(10)).until(() -> good.acked() >= now + 3);
  }

  private static RawMqtt connectedRaw(String clientId) throws Exception {
    RawMqtt raw = new RawMqtt(collector.mqttPort());
    raw.send(RawMqtt.connect(clientId, "agent-2", "secret-2"));
    assertThat(raw.readConnAck()).isZero();
    return raw;
  }

  private interface Publish {
    void run() throws MqttException;
  }

  private static void assertConnectionLost(MqttClient client, Publish publish) throws Exception {
    try {
      assertThatThrownBy(publish::run)
          .isInstanceOf(MqttException.class)
          .extracting(e -> ((MqttException) e).getReasonCode())
          .isEqualTo((int) MqttException.REASON_CODE_CONNECTION_LOST);
    } finally {
      client.close();
    }
  }

  private static MqttClient paho(String clientId, String user, String password)
      throws MqttException {
    MqttClient client =
        new MqttClient(
            "tcp://127.0.0.1:" + collector.mqttPort(), clientId, new MemoryPersistence());
    MqttConnectOptions options = new MqttConnectOptions();
    options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
    options.setUserName(user);
    options.setPassword(password.toCharArray());
    options.setCleanSession(true);
    options.setAutomaticReconnect(false);
    options.setConnectionTimeout(10);
    client.setTimeToWait(20_000);
    client.connect(options);
    return client;
  }

  private static void disconnect(MqttClient client) throws MqttException {
    client.disconnect();
    client.close();
  }

  private static double rejected(String reason) {
    return collector.metrics().rejectedCount(reason);
  }

  private static double refused(String reason) {
    return registry.counter("collector.connections.refused", "reason", reason).count();
  }

  private static long samples(String instrument) {
    return count(
        db.httpUrl(), "select count() from lm_samples where instrument = '" + instrument + "'");
  }

  private static long batches(String instrument) {
    return count(
        db.httpUrl(), "select count() from lm_batches where instrument = '" + instrument + "'");
  }

  /**
   * A well-behaved agent: one chained two-sample batch every 100 ms over one Paho connection, each
   * publish waiting for its PUBACK. Remembers when each PUBACK arrived.
   */
  private static final class GoodAgent {
    private final MqttClient client;
    private final ScheduledExecutorService timer =
        Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "good-agent"));
    private final List<Long> ackNanos = new CopyOnWriteArrayList<>();
    private final List<Throwable> failures = new CopyOnWriteArrayList<>();
    private BatchHash previous = BatchHash.ZERO;
    private long sequence;
    private boolean stopped;

    GoodAgent(MqttClient client) {
      this.client = client;
    }

    void start() {
      timer.scheduleWithFixedDelay(this::publishNext, 0, 100, TimeUnit.MILLISECONDS);
    }

    private void publishNext() {
      SignedBatch batch =
          TestBatches.batch(
              GOOD_KEY, "good-1", "nmr-1", sequence, previous, start + sequence * 2000, 2);
      try {
        client.publish(GOOD_TOPIC, batch.envelope(), 1, false);
        ackNanos.add(System.nanoTime());
        previous = batch.hash();
        sequence++;
      } catch (MqttException | RuntimeException e) {
        failures.add(e);
        throw new IllegalStateException(e); // ends the schedule: the final test reports it
      }
    }

    int acked() {
      return ackNanos.size();
    }

    List<Throwable> failures() {
      return failures;
    }

    Duration longestGap() {
      long longest = 0;
      for (int i = 1; i < ackNanos.size(); i++) {
        longest = Math.max(longest, ackNanos.get(i) - ackNanos.get(i - 1));
      }
      return Duration.ofNanos(longest);
    }

    synchronized void stop() throws Exception {
      if (stopped) {
        return;
      }
      stopped = true;
      timer.shutdown();
      assertThat(timer.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
      if (client.isConnected()) {
        client.disconnect();
      }
      client.close();
    }
  }
}
