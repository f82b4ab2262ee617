package org.labmeter.collector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.labmeter.collector.QuestDbQuery.count;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.labmeter.collector.store.EmbeddedQuestDb;
import org.labmeter.wire.SignedBatch;

/**
 * The collector in a child JVM, killed with SIGKILL while its spool holds batches it acknowledged
 * while the store was down; restarted on the same spool once the store is back, it replays them:
 * every acknowledged batch ends up in the store exactly once, and verified.
 */
class SpoolKillTest {
  private static final int SAMPLES = 5;
  private static final String TOPIC = "labmeter/v1/agent-k/icp-k/telemetry";

  @TempDir Path dir;

  private static MqttClient agent(int port) throws Exception {
    MqttClient client =
        new MqttClient("tcp://127.0.0.1:" + port, "kill-agent", new MemoryPersistence());
    MqttConnectOptions options = new MqttConnectOptions();
    options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
    options.setUserName("agent-k");
    options.setPassword("secret-k".toCharArray());
    options.setCleanSession(true);
    options.setAutomaticReconnect(false);
    client.setTimeToWait(20_000); // a publish returns only once PUBACKed, or fails
    client.connect(options);
    return client;
  }

  private static void publish(MqttClient agent, List<SignedBatch> batches) throws Exception {
    for (SignedBatch b : batches) {
      agent.publish(TOPIC, b.envelope(), 1, false);
    }
  }

  private static long spooledBytes(Path spool) throws Exception {
    try (Stream<Path> files = Files.list(spool)) {
      return files
          .filter(f -> f.getFileName().toString().startsWith("segment-"))
          .mapToLong(f -> f.toFile().length())
          .sum();
    }
  }

  @Test
  void acknowledgedBatchesInTheSpoolOfAKilledCollectorLandOnceAfterItRestarts() throws Exception {
    long start = (System.currentTimeMillis() / 1000 - 1200) * 1000;
    List<SignedBatch> chain =
        TestBatches.chain(TestBatches.signer(11), "agent-k", "icp-k", 40, start, SAMPLES);
    Path spool = dir.resolve("spool");
    EmbeddedQuestDb db = EmbeddedQuestDb.start(dir.resolve("questdb"), 0, 0);
    int httpPort = db.httpPort();
    int pgPort = db.pgPort();
    String[] args = {
      "store=" + db.httpUrl(),
      "heads=" + dir.resolve("heads"),
      "agent=agent-k",
      "secret=secret-k",
      "seed=11",
      "instrument=icp-k",
      "spool=" + spool
    };
    EmbeddedQuestDb again = null;
    try (ChildProcess first = ChildProcess.start(dir.resolve("first.log"), args)) {
      MqttClient agent = agent(first.mqttPort());
      publish(agent, chain.subList(0, 10)); // stored directly
      db.close(); // the store goes away
      publish(agent, chain.subList(10, 30)); // PUBACKed after the spool's fsync
      assertThat(spooledBytes(spool)).isPositive();

      first.kill();
      agent.disconnectForcibly(0, 0, false); // the connection died with the process
      agent.close();

      again = EmbeddedQuestDb.start(dir.resolve("questdb"), httpPort, pgPort);
      try (ChildProcess second = ChildProcess.start(dir.resolve("second.log"), args)) {
        MqttClient resumed = agent(second.mqttPort());
        publish(resumed, chain.subList(30, 40)); // live data behind the replay
        resumed.disconnect();
        resumed.close();

        String url = again.httpUrl();
        await()
            .atMost(Duration.ofSeconds(40))
            .pollInterval(Duration.ofMillis(250))
            .until(
                () ->
                    count(url, "select count() from lm_samples where instrument = 'icp-k'")
                            == 40 * SAMPLES
                        && count(url, "select count() from lm_batches where instrument = 'icp-k'")
                            == 40);
        assertThat(
                count(url, "select count_distinct(seq) from lm_batches where instrument = 'icp-k'"))
            .isEqualTo(40);
        assertThat(
                count(
                    url, "select count() from lm_batches where instrument = 'icp-k' and chain_ok"))
            .isEqualTo(40);
      }
    } finally {
      db.close();
      if (again != null) {
        again.close();
      }
    }
  }
}
