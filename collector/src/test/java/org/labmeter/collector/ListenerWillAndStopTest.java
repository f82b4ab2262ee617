package org.labmeter.collector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.net.SocketFactory;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.labmeter.collector.auth.InMemoryAgentDirectory;
import org.labmeter.collector.config.CollectorConfig;
import org.labmeter.collector.store.EmbeddedQuestDb;
import org.labmeter.collector.verify.InMemoryChainHeads;

/**
 * The listener as the agent's broker: the will of a connection cut without DISCONNECT lands in
 * {@code lm_agent_status}, and a stopping collector tells MQTT 5 clients why it goes away.
 */
class ListenerWillAndStopTest {
  @TempDir static Path dir;
  private static EmbeddedQuestDb db;

  @BeforeAll
  static void startStore() {
    db = EmbeddedQuestDb.start(dir.resolve("questdb"), 0, 0);
  }

  @AfterAll
  static void stopStore() {
    db.close();
  }

  private static Collector collector() {
    Collector collector =
        new Collector(
            CollectorConfig.create(b -> b.mqttPort(0).storeUrl(db.httpUrl()).workerShards(1)),
            new InMemoryAgentDirectory()
                .put(TestBatches.agent("agent-1", "secret-1", TestBatches.signer(1), "nmr-1"))
                .put(TestBatches.agent("agent-2", "secret-2", TestBatches.signer(2), "sem-1")),
            new InMemoryChainHeads(),
            new SimpleMeterRegistry());
    collector.start().orTimeout(30, TimeUnit.SECONDS).join();
    return collector;
  }

  /** Hands out plain sockets and keeps them, so that a test can cut one under the client. */
  private static final class CuttableSockets extends SocketFactory {
    final List<Socket> made = new CopyOnWriteArrayList<>();

    private Socket keep(Socket s) {
      made.add(s);
      return s;
    }

    @Override
    public Socket createSocket() {
      return keep(new Socket());
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
      return keep(new Socket(host, port));
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress local, int localPort)
        throws IOException {
      return keep(new Socket(host, port, local, localPort));
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
      return keep(new Socket(host, port));
    }

    @Override
    public Socket createSocket(InetAddress host, int port, InetAddress local, int localPort)
        throws IOException {
      return keep(new Socket(host, port, local, localPort));
    }
  }

  private static String stateOf(String agent) {
    var rows =
        QuestDbQuery.rows(
            db.httpUrl(),
            "select state, epoch from lm_agent_status where agent = '"
                + agent
                + "' order by ts desc limit 1");
    return rows.isEmpty()
        ? "none"
        : rows.get(0).get(0).asText() + " " + rows.get(0).get(1).asLong();
  }

  @Test
  void theWillOfAConnectionCutWithoutDisconnectMarksTheAgentOffline() throws Exception {
    Collector collector = collector();
    CuttableSockets sockets = new CuttableSockets();
    MqttClient client =
        new MqttClient(
            "tcp://127.0.0.1:" + collector.mqttPort(), "agent-1-main", new MemoryPersistence());
    try {
      MqttConnectOptions options = new MqttConnectOptions();
      options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
      options.setUserName("agent-1");
      options.setPassword("secret-1".toCharArray());
      options.setAutomaticReconnect(false);
      options.setSocketFactory(sockets);
      options.setWill(
          "labmeter/v1/agent-1/status",
          "{\"state\":\"offline\",\"epoch\":7,\"ts\":1000}".getBytes(StandardCharsets.UTF_8),
          1,
          true);
      client.setTimeToWait(10_000);
      client.connect(options);
      client.publish(
          "labmeter/v1/agent-1/status",
          "{\"state\":\"online\",\"epoch\":7,\"ts\":1000}".getBytes(StandardCharsets.UTF_8),
          1,
          true);
      await().atMost(Duration.ofSeconds(20)).until(() -> stateOf("agent-1").equals("online 7"));

      sockets.made.get(0).close(); // the network goes away; no DISCONNECT is sent

      await().atMost(Duration.ofSeconds(20)).until(() -> stateOf("agent-1").equals("offline 7"));
    } finally {
      client.close(true);
      collector.stop();
    }
  }

  @Test
  void aStoppingCollectorAcknowledgesWhatItHoldsThenSendsMqtt5ClientsDisconnect0x8B()
      throws Exception {
    Collector collector = collector();
    CompletableFuture<MqttDisconnectResponse> disconnected = new CompletableFuture<>();
    MqttAsyncClient client =
        new MqttAsyncClient(
            "tcp://127.0.0.1:" + collector.mqttPort(),
            "agent-2-main",
            new org.eclipse.paho.mqttv5.client.persist.MemoryPersistence());
    client.setCallback(
        new MqttCallback() {
          @Override
          public void disconnected(MqttDisconnectResponse response) {
            disconnected.complete(response);
          }

          @Override
          public void mqttErrorOccurred(MqttException exception) {}

          @Override
          public void messageArrived(String topic, MqttMessage message) {}

          @Override
          public void deliveryComplete(IMqttToken token) {}

          @Override
          public void connectComplete(boolean reconnect, String serverUri) {}

          @Override
          public void authPacketArrived(int reasonCode, MqttProperties properties) {}
        });
    try {
      MqttConnectionOptions options = new MqttConnectionOptions();
      options.setUserName("agent-2");
      options.setPassword("secret-2".getBytes(StandardCharsets.UTF_8));
      options.setAutomaticReconnect(false);
      client.connect(options).waitForCompletion(10_000);
      long start = (System.currentTimeMillis() / 1000 - 600) * 1000;
      byte[] batch =
          TestBatches.chain(TestBatches.signer(2), "agent-2", "sem-1", 1, start, 3)
              .get(0)
              .envelope();
      IMqttToken sent = client.publish("labmeter/v1/agent-2/sem-1/telemetry", batch, 1, false);
      sent.waitForCompletion(10_000);
      assertThat(sent.getReasonCodes()).containsExactly(0);

      collector.stop();

      MqttDisconnectResponse response = disconnected.get(10, TimeUnit.SECONDS);
      assertThat(response.getReturnCode()).isEqualTo(0x8B);
      assertThat(
              QuestDbQuery.count(
                  db.httpUrl(), "select count() from lm_batches where instrument = 'sem-1'"))
          .isEqualTo(1);
    } finally {
      client.close(true);
    }
  }
}
