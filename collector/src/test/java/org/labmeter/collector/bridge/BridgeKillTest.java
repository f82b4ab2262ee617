package org.labmeter.collector.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.labmeter.collector.QuestDbQuery.count;
import static org.labmeter.collector.QuestDbQuery.rows;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.labmeter.collector.ChildProcess;
import org.labmeter.collector.TestBatches;
import org.labmeter.collector.store.EmbeddedQuestDb;
import org.labmeter.wire.SignedBatch;

/**
 * Two collectors, each in its own JVM, share one subscription on a real Mosquitto; one is killed
 * with SIGKILL mid-run while the agent keeps publishing, and comes back under its client id (as a
 * service manager restarts it). Every batch is stored exactly once; the agent's birth and its last
 * will (sent by the broker when the agent's connection dies) end up in {@code lm_agent_status}.
 */
class BridgeKillTest {
  private static final String AGENT = "agent-bk";
  private static final String TOPIC = "labmeter/v1/agent-bk/nmr-bk/telemetry";
  private static final String STATUS = "labmeter/v1/agent-bk/status";
  private static final int BATCHES = 150;

  @TempDir Path dir;

  private String[] args(String url, String broker, String clientId) {
    return new String[] {
      "store=" + url,
      "heads=" + dir.resolve("heads-" + clientId),
      "agent=" + AGENT,
      "secret=unused",
      "seed=12",
      "instrument=nmr-bk",
      "bridge=" + broker,
      "clientId=" + clientId,
      "group=gk"
    };
  }

  private static MqttClient agent(String broker) throws Exception {
    MqttClient client = new MqttClient(broker, "agent-bk-pub", new MemoryPersistence());
    MqttConnectOptions options = new MqttConnectOptions();
    options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
    options.setCleanSession(true);
    options.setMaxInflight(1000);
    options.setWill(
        STATUS,
        "{\"state\":\"offline\",\"epoch\":4,\"ts\":1}".getBytes(StandardCharsets.UTF_8),
        1,
        true);
    client.setTimeToWait(20_000);
    client.connect(options);
    client.publish(
        STATUS,
        "{\"state\":\"online\",\"epoch\":4,\"ts\":1}".getBytes(StandardCharsets.UTF_8),
        1,
        true);
    return client;
  }

  private static void publish(MqttClient agent, List<SignedBatch> batches) throws Exception {
    for (SignedBatch b : batches) {
      agent.publish(TOPIC, b.envelope(), 1, false); // returns once the broker has it
    }
  }

  @Test
  void aCollectorKilledMidRunLosesNothingAndDuplicatesNothing() throws Exception {
    long start = (System.currentTimeMillis() / 1000 - 1200) * 1000;
    List<SignedBatch> chain =
        TestBatches.chain(TestBatches.signer(12), AGENT, "nmr-bk", BATCHES, start, 2);
    try (EmbeddedQuestDb db = EmbeddedQuestDb.start(dir.resolve("questdb"), 0, 0);
        BridgeBroker broker = BridgeBroker.start(dir.resolve("broker"))) {
      String url = db.httpUrl();
      String batches = "select count() from lm_batches where instrument = 'nmr-bk'";
      ChildProcess a = ChildProcess.start(dir.resolve("a.log"), args(url, broker.uri(), "kill-a"));
      try (ChildProcess b =
          ChildProcess.start(dir.resolve("b.log"), args(url, broker.uri(), "kill-b"))) {
        MqttClient agent = agent(broker.uri());
        publish(agent, chain.subList(0, 60));
        await().atMost(Duration.ofSeconds(30)).until(() -> count(url, batches) >= 20);

        a.kill(); // whatever it held unacknowledged waits in its session on the broker
        publish(agent, chain.subList(60, BATCHES)); // the agent keeps publishing

        try (ChildProcess restarted =
            ChildProcess.start(dir.resolve("a2.log"), args(url, broker.uri(), "kill-a"))) {
          await()
              .atMost(Duration.ofSeconds(40))
              .pollInterval(Duration.ofMillis(250))
              .until(() -> count(url, batches) >= BATCHES);
          assertThat(count(url, batches)).isEqualTo(BATCHES);
          assertThat(
                  count(
                      url,
                      "select count_distinct(seq) from lm_batches where instrument = 'nmr-bk'"))
              .isEqualTo(BATCHES);
          await()
              .atMost(Duration.ofSeconds(20))
              .until(
                  () ->
                      count(url, "select count() from lm_samples where instrument = 'nmr-bk'")
                          == 2L * BATCHES);

          agent.disconnectForcibly(0, 0, false); // the agent's link dies: the broker sends its will
          agent.close();
          await()
              .atMost(Duration.ofSeconds(20))
              .until(
                  () ->
                      rows(
                              url,
                              "select state from lm_agent_status where agent = 'agent-bk'"
                                  + " LATEST ON ts PARTITION BY agent")
                          .toString()
                          .equals("[[\"offline\"]]"));
          // the retained birth may come again to a collector that subscribes again: one row per
          // message received, the latest is the state
          assertThat(
                  count(
                      url,
                      "select count() from lm_agent_status where agent = 'agent-bk'"
                          + " and state = 'online' and epoch = 4"))
              .isPositive();
        }
      }
    }
  }
}
