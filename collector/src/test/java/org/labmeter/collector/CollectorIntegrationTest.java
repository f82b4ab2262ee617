package org.labmeter.collector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.labmeter.collector.QuestDbQuery.count;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.labmeter.collector.auth.InMemoryAgentDirectory;
import org.labmeter.collector.config.CollectorConfig;
import org.labmeter.collector.config.StoreKind;
import org.labmeter.collector.store.EmbeddedQuestDb;
import org.labmeter.collector.verify.InMemoryChainHeads;
import org.labmeter.collector.verify.RejectReason;
import org.labmeter.wire.BatchCodec;
import org.labmeter.wire.BatchHash;
import org.labmeter.wire.Ed25519Signer;
import org.labmeter.wire.SignedBatch;

/**
 * The collector against real peers: QuestDB in this JVM, agents played by Paho and by the
 * mosquitto_pub command-line client (Debian package mosquitto-clients).
 */
class CollectorIntegrationTest {
  private static final Ed25519Signer KEY_1 = TestBatches.signer(1);
  private static final Ed25519Signer KEY_2 = TestBatches.signer(2);
  private static final String LONG_AGENT = "agent-" + "a".repeat(58);
  private static final String LONG_INSTRUMENT = "xrd-" + "x".repeat(60);

  @TempDir static Path dir;
  private static EmbeddedQuestDb db;
  private static Collector collector;
  private static SimpleMeterRegistry registry;
  private static long start;

  @BeforeAll
  static void startStoreAndCollector() {
    db = EmbeddedQuestDb.start(dir.resolve("questdb"), 0, 0);
    InMemoryAgentDirectory agents =
        new InMemoryAgentDirectory()
            .put(TestBatches.agent("agent-1", "secret-1", KEY_1, "nmr-1", "ms-1", "xrd-1"))
            .put(TestBatches.agent("agent-2", "secret-2", KEY_2, "sem-1"))
            .put(TestBatches.agent(LONG_AGENT, "secret-3", KEY_2, LONG_INSTRUMENT));
    registry = new SimpleMeterRegistry();
    collector =
        new Collector(
            CollectorConfig.create(
                b -> b.mqttPort(0).storeUrl(db.httpUrl()).workerShards(2).ioThreads(2)),
            agents,
            new InMemoryChainHeads(),
            registry);
    collector.start().orTimeout(30, TimeUnit.SECONDS).join();
    // whole seconds, 20 minutes back: recent, not late, never in the future
    start = (System.currentTimeMillis() / 1000 - 1200) * 1000;
  }

  @AfterAll
  static void stopAll() {
    collector.stop();
    collector.stop();
    db.close();
    assertThat(LeakLog.reports()).isEmpty();
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

  private static long samples(String instrument) {
    return count(
        db.httpUrl(), "select count() from lm_samples where instrument = '" + instrument + "'");
  }

  private static long batches(String instrument) {
    return count(
        db.httpUrl(), "select count() from lm_batches where instrument = '" + instrument + "'");
  }

  private static double counter(String name) {
    return registry.counter(name).count();
  }

  @Test
  void pahoPublishesTwentySignedBatchesThatAreStoredExactlyOnce() throws Exception {
    List<SignedBatch> chain = TestBatches.chain(KEY_1, "agent-1", "nmr-1", 21, start, 5);
    String topic = "labmeter/v1/agent-1/nmr-1/telemetry";
    double duplicatesBefore = counter("collector.duplicates");
    MqttClient client = paho("paho-agent-1", "agent-1", "secret-1");
    try {
      for (SignedBatch batch : chain.subList(0, 20)) {
        client.publish(topic, batch.envelope(), 1, false); // returns once PUBACKed
      }
      // QuestDB applies the two tables' WAL separately: wait for both before judging either.
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> samples("nmr-1") >= 100 && batches("nmr-1") >= 20);
      assertThat(samples("nmr-1")).isEqualTo(100);
      assertThat(batches("nmr-1")).isEqualTo(20);
      assertThat(
              count(
                  db.httpUrl(),
                  "select count() from lm_samples where instrument = 'nmr-1' and verified"))
          .isEqualTo(100);

      for (SignedBatch batch : chain.subList(0, 20)) {
        client.publish(topic, batch.envelope(), 1, false);
      }
      assertThat(counter("collector.duplicates") - duplicatesBefore).isEqualTo(20);
      // One new batch after the replay: once it is visible, everything before it was applied.
      client.publish(topic, chain.get(20).envelope(), 1, false);
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> samples("nmr-1") >= 105 && batches("nmr-1") >= 21);
      assertThat(samples("nmr-1")).isEqualTo(105);
      assertThat(batches("nmr-1")).isEqualTo(21);
    } finally {
      client.disconnect();
      client.close();
    }
  }

  @Test
  void manyBatchesInFlightAreWrittenInGroupsAllVerifiedAndAcknowledged() throws Exception {
    int count = 300;
    List<SignedBatch> chain = TestBatches.chain(KEY_1, "agent-1", "xrd-1", count, start, 2);
    double requestsBefore = registry.timer("collector.write.latency").count();
    MqttAsyncClient client =
        new MqttAsyncClient(
            "tcp://127.0.0.1:" + collector.mqttPort(), "paho-async-1", new MemoryPersistence());
    MqttConnectOptions options = new MqttConnectOptions();
    options.setUserName("agent-1");
    options.setPassword("secret-1".toCharArray());
    options.setMaxInflight(count);
    options.setAutomaticReconnect(false);
    client.connect(options).waitForCompletion(20_000);
    List<IMqttDeliveryToken> tokens = new ArrayList<>();
    try {
      for (SignedBatch batch : chain) {
        tokens.add(
            client.publish("labmeter/v1/agent-1/xrd-1/telemetry", batch.envelope(), 1, false));
      }
      for (IMqttDeliveryToken token : tokens) {
        token.waitForCompletion(30_000); // PUBACKed
      }
    } finally {
      client.disconnect().waitForCompletion(10_000);
      client.close();
    }

    await().atMost(Duration.ofSeconds(30)).until(() -> samples("xrd-1") == 2L * count);
    assertThat(batches("xrd-1")).isEqualTo(count);
    assertThat(
            count(
                db.httpUrl(),
                "select count() from lm_batches where instrument = 'xrd-1' and chain_ok"))
        .as("every batch linked to the one before it, also inside a group")
        .isEqualTo(count);
    assertThat(registry.timer("collector.write.latency").count() - requestsBefore)
        .as("store requests for %d batches published back to back", count)
        .isLessThan(count);
  }

  @Test
  void theLargestEnvelopeFitsThroughTheListener() throws Exception {
    // 64-character ids and 10,000 samples: the largest envelope v1 allows, in the longest topic
    SignedBatch big =
        TestBatches.batch(
            KEY_2, LONG_AGENT, LONG_INSTRUMENT, 0, BatchHash.ZERO, start - 20_000_000, 10_000);
    String topic = "labmeter/v1/" + LONG_AGENT + "/" + LONG_INSTRUMENT + "/telemetry";
    assertThat(big.envelopeLength()).isEqualTo(BatchCodec.MAX_ENVELOPE_SIZE);
    assertThat(topic).hasSize(CollectorConfig.MAX_TOPIC_BYTES);
    MqttClient client = paho("paho-long", LONG_AGENT, "secret-3");
    try {
      client.publish(topic, big.envelope(), 1, false);
    } finally {
      client.disconnect();
      client.close();
    }
    await().atMost(Duration.ofSeconds(30)).until(() -> samples(LONG_INSTRUMENT) == 10_000);
  }

  @Test
  void mosquittoPubIsStoredTamperedCopiesAndForeignTopicsAreNot() throws Exception {
    List<SignedBatch> chain = TestBatches.chain(KEY_1, "agent-1", "ms-1", 2, start, 3);
    byte[] good = chain.get(0).envelope();
    // a byte of the last sample's energy value: still decodes, no longer matches the signature
    byte[] tampered = TestBatches.flip(good, good.length - 64 - 5);
    Path goodFile = Files.write(dir.resolve("batch-0.bin"), good);
    Path tamperedFile = Files.write(dir.resolve("batch-0-tampered.bin"), tampered);
    Path nextFile = Files.write(dir.resolve("batch-1.bin"), chain.get(1).envelope());
    String topic = "labmeter/v1/agent-1/ms-1/telemetry";

    Run stored = mosquittoPub("secret-1", topic, goodFile);
    assertThat(stored.exitCode()).as(stored.output()).isZero();
    assertThat(stored.output()).contains("received PUBACK");
    await().atMost(Duration.ofSeconds(30)).until(() -> samples("ms-1") == 3);

    double badSignatures = collector.metrics().rejectedCount(RejectReason.BAD_SIGNATURE.tag());
    Run rejected = mosquittoPub("secret-1", topic, tamperedFile);
    assertThat(rejected.exitCode()).as("acknowledged although rejected").isZero();
    assertThat(collector.metrics().rejectedCount("bad_signature")).isEqualTo(badSignatures + 1);
    assertThat(collector.quarantine().recent())
        .anySatisfy(
            q -> {
              assertThat(q.reason()).isEqualTo(RejectReason.BAD_SIGNATURE);
              assertThat(q.payload()).isEqualTo(tampered);
            });
    // The next good batch becomes visible; the tampered one before it never does.
    assertThat(mosquittoPub("secret-1", topic, nextFile).exitCode()).isZero();
    await().atMost(Duration.ofSeconds(30)).until(() -> samples("ms-1") == 6);
    assertThat(batches("ms-1")).isEqualTo(2);

    double aclBefore = collector.metrics().rejectedCount("acl");
    Run foreign = mosquittoPub("secret-1", "labmeter/v1/agent-2/sem-1/telemetry", goodFile);
    assertThat(collector.metrics().rejectedCount("acl")).isEqualTo(aclBefore + 1);
    assertThat(foreign.exitCode()).isNotZero();
    assertThat(foreign.output()).contains("connection was lost").doesNotContain("PUBACK");
    assertThat(batches("sem-1")).isZero();

    Run wrongPassword = mosquittoPub("not-the-secret", topic, goodFile);
    assertThat(wrongPassword.exitCode()).isNotZero();
    assertThat(wrongPassword.output()).contains("received CONNACK (5)");
    assertThat(wrongPassword.output().toLowerCase()).contains("not authori");
  }

  @Test
  void anMqtt5ClientIsServedAndToldWhyItIsRefused() throws Exception {
    Path file = Files.write(dir.resolve("v5.bin"), new byte[] {1});
    List<String> v5 =
        List.of(
            "mosquitto_pub",
            "-V",
            "5",
            "-h",
            "127.0.0.1",
            "-p",
            String.valueOf(collector.mqttPort()),
            "-u",
            "agent-1",
            "-q",
            "1",
            "-t",
            "labmeter/v1/agent-1/status",
            "-f",
            file.toString(),
            "-P");

    Run served = run(concat(v5, "secret-1"));
    Run refused = run(concat(v5, "wrong"));

    assertThat(served.exitCode()).as(served.output()).isZero();
    assertThat(refused.exitCode()).isNotZero();
    assertThat(refused.output().toLowerCase()).contains("bad user name or password");
  }

  private static List<String> concat(List<String> list, String last) {
    List<String> all = new java.util.ArrayList<>(list);
    all.add(last);
    return all;
  }

  @Test
  void aFailedStoreWriteIsNotAcknowledgedAndTheConnectionCloses() throws Exception {
    int deadPort;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      deadPort = s.getLocalPort();
    }
    SimpleMeterRegistry ownRegistry = new SimpleMeterRegistry();
    int port = deadPort;
    Collector broken =
        new Collector(
            CollectorConfig.create(
                b ->
                    b.mqttPort(0)
                        .storeKind(StoreKind.INFLUXDB)
                        .storeUrl("http://127.0.0.1:" + port)
                        .storeTimeout(Duration.ofSeconds(2))),
            new InMemoryAgentDirectory()
                .put(TestBatches.agent("agent-1", "secret-1", KEY_1, "nmr-1")),
            new InMemoryChainHeads(),
            ownRegistry);
    broken.start().orTimeout(30, TimeUnit.SECONDS).join();
    try {
      MqttClient client =
          new MqttClient(
              "tcp://127.0.0.1:" + broken.mqttPort(), "paho-broken", new MemoryPersistence());
      MqttConnectOptions options = new MqttConnectOptions();
      options.setUserName("agent-1");
      options.setPassword("secret-1".toCharArray());
      client.setTimeToWait(20_000);
      client.connect(options);
      SignedBatch batch = TestBatches.batch(KEY_1, "agent-1", "nmr-1", 0, BatchHash.ZERO, start, 2);

      assertThatThrownBy(
              () ->
                  client.publish("labmeter/v1/agent-1/nmr-1/telemetry", batch.envelope(), 1, false))
          .isInstanceOf(MqttException.class)
          .extracting(e -> ((MqttException) e).getReasonCode())
          .isEqualTo((int) MqttException.REASON_CODE_CONNECTION_LOST);
      assertThat(ownRegistry.counter("collector.write.failures").count()).isEqualTo(1);
      client.close();
    } finally {
      broken.stop();
    }
  }

  private record Run(int exitCode, String output) {}

  private static Run mosquittoPub(String password, String topic, Path file) throws Exception {
    return run(
        List.of(
            "mosquitto_pub",
            "-d",
            "-h",
            "127.0.0.1",
            "-p",
            String.valueOf(collector.mqttPort()),
            "-u",
            "agent-1",
            "-P",
            password,
            "-q",
            "1",
            "-t",
            topic,
            "-f",
            file.toString(),
            "-i",
            "mosquitto-agent-1"));
  }

  private static Run run(List<String> command) throws Exception {
    Path out = Files.createTempFile(dir, "mosquitto", ".log");
    Process process;
    try {
      process =
          new ProcessBuilder(new ArrayList<>(command))
              .redirectErrorStream(true)
              .redirectOutput(out.toFile())
              .start();
    } catch (IOException e) {
      throw new IllegalStateException(
          "mosquitto_pub is needed for this test: apt-get install -y mosquitto-clients", e);
    }
    if (!process.waitFor(20, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      return new Run(-1, Files.readString(out, StandardCharsets.UTF_8));
    }
    return new Run(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8));
  }
}
