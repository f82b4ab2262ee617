package org.labmeter.collector.bridge;

import static org.awaitility.Awaitility.await;
import static org.labmeter.collector.QuestDbQuery.count;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.labmeter.collector.Collector;
import org.labmeter.collector.TestBatches;
import org.labmeter.collector.auth.InMemoryAgentDirectory;
import org.labmeter.collector.config.CollectorConfig;
import org.labmeter.collector.store.EmbeddedQuestDb;
import org.labmeter.collector.verify.InMemoryChainHeads;
import org.labmeter.wire.SignedBatch;

/**
 * Mosquitto restarted, with persistence, while a single collector (bridge without a share group) is
 * away: the collector's persistent session and its subscriptions survive the restart, so what
 * agents publish before the collector comes back is queued for it rather than acknowledged to
 * nobody, and is stored once it connects again under its client id. (Mosquitto 2.0 does not restore
 * shared subscriptions from its persistence file: docs/agent-install.md.)
 */
class BrokerRestartTest {
  private static final String TOPIC = "labmeter/v1/agent-br/nmr-br/telemetry";

  @TempDir Path dir;

  private static Collector collector(EmbeddedQuestDb db, String broker, InMemoryAgentDirectory a) {
    Collector c =
        new Collector(
            CollectorConfig.create(
                b ->
                    b.mqttPort(0)
                        .ioThreads(1)
                        .workerShards(1)
                        .storeUrl(db.httpUrl())
                        .bridgeUri(broker)
                        .bridgeClientId("restart-a")
                        .bridgeGroup(null)),
            a,
            new InMemoryChainHeads(),
            new SimpleMeterRegistry());
    c.start().orTimeout(30, TimeUnit.SECONDS).join();
    return c;
  }

  @Test
  void batchesPublishedToARestartedBrokerWhileTheCollectorIsAwayAreStoredWhenItReturns()
      throws Exception {
    long start = (System.currentTimeMillis() / 1000 - 1200) * 1000;
    List<SignedBatch> chain =
        TestBatches.chain(TestBatches.signer(21), "agent-br", "nmr-br", 5, start, 2);
    InMemoryAgentDirectory agents =
        new InMemoryAgentDirectory()
            .put(TestBatches.agent("agent-br", "unused", TestBatches.signer(21), "nmr-br"));
    try (EmbeddedQuestDb db = EmbeddedQuestDb.start(dir.resolve("questdb"), 0, 0)) {
      BridgeBroker first = BridgeBroker.start(dir.resolve("broker"), freePort(), true);
      int port = first.port();
      collector(db, first.uri(), agents).stop(); // its subscription stays in its session
      first.close(); // a clean shutdown saves the sessions

      try (BridgeBroker restarted = BridgeBroker.start(dir.resolve("broker"), port, true)) {
        MqttClient agent = new MqttClient(restarted.uri(), "agent-br-pub", new MemoryPersistence());
        MqttConnectOptions options = new MqttConnectOptions();
        options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        options.setCleanSession(true);
        agent.setTimeToWait(20_000);
        agent.connect(options);
        for (SignedBatch b : chain) {
          agent.publish(TOPIC, b.envelope(), 1, false); // acknowledged by the broker
        }
        agent.disconnect();
        agent.close();

        Collector back = collector(db, restarted.uri(), agents);
        try {
          await()
              .atMost(Duration.ofSeconds(30))
              .until(
                  () ->
                      count(
                              db.httpUrl(),
                              "select count() from lm_batches where instrument = 'nmr-br'")
                          == 5);
        } finally {
          back.stop();
        }
      }
    }
  }

  private static int freePort() throws java.io.IOException {
    try (java.net.ServerSocket s =
        new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
