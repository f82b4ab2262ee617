package org.labmeter.collector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.labmeter.collector.QuestDbQuery.count;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.labmeter.collector.auth.InMemoryAgentDirectory;
import org.labmeter.collector.config.CollectorConfig;
import org.labmeter.collector.spool.SpoolingBatchStore;
import org.labmeter.collector.store.EmbeddedQuestDb;
import org.labmeter.collector.store.InProcessBatchStore;
import org.labmeter.collector.verify.InMemoryChainHeads;
import org.labmeter.wire.Ed25519Signer;
import org.labmeter.wire.SignedBatch;

/**
 * The store goes away under a publishing agent and comes back: every batch the collector
 * acknowledged meanwhile was spooled, and afterwards every acknowledged batch is in QuestDB exactly
 * once.
 */
class SpoolIntegrationTest {
  private static final Ed25519Signer KEY = TestBatches.signer(7);
  private static final int SAMPLES_PER_BATCH = 5;

  @TempDir Path dir;

  private static MqttClient paho(int port) throws Exception {
    MqttClient client =
        new MqttClient("tcp://127.0.0.1:" + port, "spool-agent", new MemoryPersistence());
    MqttConnectOptions options = new MqttConnectOptions();
    options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
    options.setUserName("agent-s");
    options.setPassword("secret-s".toCharArray());
    options.setCleanSession(true);
    options.setAutomaticReconnect(false);
    options.setConnectionTimeout(10);
    client.setTimeToWait(20_000); // a publish returns only once PUBACKed, or fails
    client.connect(options);
    return client;
  }

  @Test
  void batchesAcknowledgedWhileTheStoreIsDownLandOnceAfterItReturns() throws Exception {
    EmbeddedQuestDb db = EmbeddedQuestDb.start(dir.resolve("questdb"), 0, 0);
    int httpPort = db.httpPort();
    int pgPort = db.pgPort();
    long start = (System.currentTimeMillis() / 1000 - 1200) * 1000;
    List<SignedBatch> chain =
        TestBatches.chain(KEY, "agent-s", "icp-1", 60, start, SAMPLES_PER_BATCH);
    Collector collector =
        new Collector(
            CollectorConfig.create(
                b ->
                    b.mqttPort(0)
                        .storeUrl(db.httpUrl())
                        .storeTimeout(Duration.ofSeconds(5))
                        .workerShards(2)
                        .ioThreads(2)
                        .spoolDirectory(dir.resolve("spool"))
                        .spoolRetryBackoffMax(Duration.ofMillis(500))),
            new InMemoryAgentDirectory()
                .put(TestBatches.agent("agent-s", "secret-s", KEY, "icp-1")),
            new InMemoryChainHeads(),
            new SimpleMeterRegistry());
    EmbeddedQuestDb restarted = null;
    try {
      collector.start().orTimeout(30, TimeUnit.SECONDS).join();
      SpoolingBatchStore spool = collector.spool().orElseThrow();
      String topic = "labmeter/v1/agent-s/icp-1/telemetry";
      MqttClient agent = paho(collector.mqttPort());

      for (SignedBatch b : chain.subList(0, 20)) {
        agent.publish(topic, b.envelope(), 1, false); // written to the store, then PUBACKed
      }
      assertThat(spool.depthRecords()).isZero();

      db.close(); // the store goes away mid-run
      for (SignedBatch b : chain.subList(20, 40)) {
        agent.publish(topic, b.envelope(), 1, false); // still PUBACKed: spooled and fsync'd
      }
      assertThat(spool.depthRecords()).isEqualTo(20);
      assertThat(collector.healthy()).isTrue(); // 20 small batches are far below 50 % of 1 GiB

      restarted = EmbeddedQuestDb.start(dir.resolve("questdb"), httpPort, pgPort);
      for (SignedBatch b : chain.subList(40, 60)) {
        agent.publish(topic, b.envelope(), 1, false); // behind the spooled ones, or direct
      }
      agent.disconnect();
      agent.close();

      String url = restarted.httpUrl();
      await().atMost(Duration.ofSeconds(30)).until(() -> spool.depthRecords() == 0);
      await()
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(200))
          .until(
              () -> count(url, "select count() from lm_batches where instrument = 'icp-1'") == 60);
      assertThat(
              count(url, "select count_distinct(seq) from lm_batches where instrument = 'icp-1'"))
          .isEqualTo(60);
      await()
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(200))
          .until(
              () ->
                  count(url, "select count() from lm_samples where instrument = 'icp-1'")
                      == 60 * SAMPLES_PER_BATCH);
      // the chain links held across the outage: every batch verified
      assertThat(
              count(
                  url,
                  "select count() from lm_batches where instrument = 'icp-1' and chain_ok = true"))
          .isEqualTo(60);
    } finally {
      collector.stop();
      db.close();
      if (restarted != null) {
        restarted.close();
      }
    }
  }

  @Test
  void withWriteBehindEveryBatchIsSpooledAndReplayedThroughTheGivenStore() throws Exception {
    EmbeddedQuestDb db = EmbeddedQuestDb.start(dir.resolve("questdb-wb"), 0, 0);
    long start = (System.currentTimeMillis() / 1000 - 1200) * 1000;
    List<SignedBatch> chain =
        TestBatches.chain(KEY, "agent-s", "icp-1", 30, start, SAMPLES_PER_BATCH);
    InProcessBatchStore inProcess = new InProcessBatchStore(db::engine);
    AtomicInteger throughIt = new AtomicInteger();
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    Collector collector =
        new Collector(
                CollectorConfig.create(
                    b ->
                        b.mqttPort(0)
                            .storeUrl(db.httpUrl())
                            .workerShards(2)
                            .ioThreads(2)
                            .spoolDirectory(dir.resolve("spool-wb"))
                            .spoolWriteBehind(true)),
                new InMemoryAgentDirectory()
                    .put(TestBatches.agent("agent-s", "secret-s", KEY, "icp-1")),
                new InMemoryChainHeads(),
                meters)
            .batchStore(
                batches -> {
                  inProcess.write(batches);
                  throughIt.addAndGet(batches.size());
                });
    try {
      collector.start().orTimeout(30, TimeUnit.SECONDS).join();
      MqttClient agent = paho(collector.mqttPort());
      for (SignedBatch b : chain) {
        agent.publish("labmeter/v1/agent-s/icp-1/telemetry", b.envelope(), 1, false);
      }
      agent.disconnect();
      agent.close();
      // every PUBACK came from the spool; the store was written only by the replay, through it
      assertThat(meters.get("collector.spool.appended").counter().count()).isEqualTo(30);
      await().atMost(Duration.ofSeconds(30)).until(() -> throughIt.get() == 30);
      String url = db.httpUrl();
      await()
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofMillis(200))
          .until(
              () ->
                  count(
                          url,
                          "select count() from lm_batches where instrument = 'icp-1'"
                              + " and chain_ok = true")
                      == 30);
    } finally {
      collector.stop();
      db.close();
    }
  }
}
