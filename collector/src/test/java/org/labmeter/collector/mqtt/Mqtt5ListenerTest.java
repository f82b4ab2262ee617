package org.labmeter.collector.mqtt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.junit.jupiter.api.Test;
import org.labmeter.collector.ingest.IngestOutcome;
import org.labmeter.collector.verify.RejectReason;

/** MQTT 5 against the real listener with Paho's MQTT 5 client. */
class Mqtt5ListenerTest {
  private static ListenerSettings limits(
      Duration maxKeepAlive, int perAgent, double rate, int burst) {
    return new ListenerSettings(Duration.ZERO, maxKeepAlive, perAgent, rate, burst, 64, null);
  }

  @Test
  void connAckStatesTheTermsAndAStoredBatchGetsSuccess() throws Exception {
    try (ListenerFixture listener = new ListenerFixture(ListenerSettings.DEFAULT);
        Paho5 agent = new Paho5("tcp://127.0.0.1:" + listener.port, "agent-1-a")) {
      agent.connect(Paho5.options("agent-1", "secret-1", null));

      MqttProperties terms = agent.connAck();
      assertThat(terms.getReceiveMaximum()).isEqualTo(64);
      assertThat(terms.getMaximumPacketSize()).isEqualTo(300_000L);
      assertThat(terms.getTopicAliasMaximum()).isZero();
      assertThat(terms.getMaximumQoS()).isEqualTo(1);
      assertThat(terms.getSessionExpiryInterval()).isZero();
      assertThat(terms.getServerKeepAlive()).isNull(); // the client's 30 s stands

      IMqttToken ack = agent.publish(ListenerFixture.TOPIC_1, "batch-1");
      assertThat(ack.getReasonCodes()).containsExactly(0x00);
      assertThat(listener.stored).containsExactly("agent-1 batch-1");
    }
  }

  @Test
  void aRejectedBatchGetsItsReasonInThePubAckAndTheConnectionStays() throws Exception {
    try (ListenerFixture listener = new ListenerFixture(ListenerSettings.DEFAULT);
        Paho5 agent = new Paho5("tcp://127.0.0.1:" + listener.port, "agent-1-a")) {
      listener.answer = body -> new IngestOutcome.Rejected(RejectReason.BAD_SIGNATURE);
      agent.connect(Paho5.options("agent-1", "secret-1", null));

      IMqttToken ack = agent.publish(ListenerFixture.TOPIC_1, "forged");

      assertThat(ack.getReasonCodes()).containsExactly(0x87);
      assertThat(ack.getResponseProperties().getReasonString())
          .isEqualTo("batch rejected: bad_signature");
      assertThat(agent.client.isConnected()).isTrue();
      listener.answer = body -> new IngestOutcome.Stored(1, null);
      assertThat(agent.publish(ListenerFixture.TOPIC_1, "good").getReasonCodes())
          .containsExactly(0x00);
    }
  }

  @Test
  void aPublishToAnotherAgentsTopicGetsNotAuthorizedAndIsCounted() throws Exception {
    try (ListenerFixture listener = new ListenerFixture(ListenerSettings.DEFAULT);
        Paho5 agent = new Paho5("tcp://127.0.0.1:" + listener.port, "agent-1-a")) {
      agent.connect(Paho5.options("agent-1", "secret-1", null));

      IMqttToken ack = agent.publish(ListenerFixture.TOPIC_2, "not mine");

      assertThat(ack.getReasonCodes()).containsExactly(0x87);
      assertThat(ack.getResponseProperties().getReasonString()).startsWith("topic not permitted");
      assertThat(listener.counter("collector.rejected", "reason", "acl")).isEqualTo(1);
      assertThat(listener.stored).isEmpty();
      assertThat(agent.client.isConnected()).isTrue();
    }
  }

  @Test
  void aWrongPasswordGetsBadUserNameOrPassword() throws Exception {
    try (ListenerFixture listener = new ListenerFixture(ListenerSettings.DEFAULT);
        Paho5 agent = new Paho5("tcp://127.0.0.1:" + listener.port, "agent-1-a")) {
      MqttException refused =
          catchThrowableOfType(
              MqttException.class, () -> agent.connect(Paho5.options("agent-1", "wrong", null)));
      assertThat(refused.getReasonCode()).isEqualTo(0x86);
      assertThat(listener.counter("collector.connections.refused", "reason", "bad_credential"))
          .isEqualTo(1);
    }
  }

  @Test
  void aLongKeepAliveIsCutToTheMaximumByServerKeepAlive() throws Exception {
    try (ListenerFixture listener = new ListenerFixture(limits(Duration.ofSeconds(20), 4, 0, 100));
        Paho5 agent = new Paho5("tcp://127.0.0.1:" + listener.port, "agent-1-a")) {
      agent.connect(Paho5.options("agent-1", "secret-1", null)); // asks for 30 s

      assertThat(agent.connAck().getServerKeepAlive()).isEqualTo(20);
    }
  }

  @Test
  void aSecondConnectionWithTheSameClientIdTakesTheFirstOver() throws Exception {
    try (ListenerFixture listener = new ListenerFixture(ListenerSettings.DEFAULT);
        Paho5 first = new Paho5("tcp://127.0.0.1:" + listener.port, "agent-1-a");
        Paho5 second = new Paho5("tcp://127.0.0.1:" + listener.port, "agent-1-a")) {
      first.connect(Paho5.options("agent-1", "secret-1", null));
      second.connect(Paho5.options("agent-1", "secret-1", null));

      MqttDisconnectResponse told = first.disconnected.get(10, TimeUnit.SECONDS);
      assertThat(told.getReturnCode()).isEqualTo(0x8E); // session taken over
      assertThat(second.publish(ListenerFixture.TOPIC_1, "b").getReasonCodes())
          .containsExactly(0x00);
      assertThat(listener.counter("collector.connections.takenover")).isEqualTo(1);
      await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> listener.sessions.connectionsOf("agent-1") == 1);
    }
  }

  @Test
  void connectionsBeyondTheAgentsMaximumAreRefusedWithQuotaExceeded() throws Exception {
    try (ListenerFixture listener = new ListenerFixture(limits(Duration.ZERO, 1, 0, 100));
        Paho5 first = new Paho5("tcp://127.0.0.1:" + listener.port, "agent-1-a");
        Paho5 second = new Paho5("tcp://127.0.0.1:" + listener.port, "agent-1-b");
        Paho5 other = new Paho5("tcp://127.0.0.1:" + listener.port, "agent-2-a")) {
      first.connect(Paho5.options("agent-1", "secret-1", null));

      MqttException refused =
          catchThrowableOfType(
              MqttException.class,
              () -> second.connect(Paho5.options("agent-1", "secret-1", null)));

      assertThat(refused.getReasonCode()).isEqualTo(0x97);
      assertThat(listener.counter("collector.connections.refused", "reason", "agent_connections"))
          .isEqualTo(1);
      assertThat(first.client.isConnected()).isTrue();
      other.connect(Paho5.options("agent-2", "secret-2", null)); // another agent is not held back
    }
  }

  @Test
  void anAgentOverItsRateIsSlowedDownNotDropped() throws Exception {
    // 5 at once, then 20 per second: the last of 25 publishes can leave no earlier than
    // 20 / 20 = 1 s after the first
    try (ListenerFixture listener = new ListenerFixture(limits(Duration.ZERO, 4, 20, 5));
        Paho5 agent = new Paho5("tcp://127.0.0.1:" + listener.port, "agent-1-a")) {
      agent.connect(Paho5.options("agent-1", "secret-1", null));
      long start = System.nanoTime();
      List<IMqttToken> tokens = new ArrayList<>();
      for (int i = 0; i < 25; i++) {
        tokens.add(agent.client.publish(ListenerFixture.TOPIC_1, ("b" + i).getBytes(), 1, false));
      }
      for (IMqttToken token : tokens) {
        token.waitForCompletion(20_000);
        assertThat(token.getReasonCodes()).containsExactly(0x00);
      }
      long millis = (System.nanoTime() - start) / 1_000_000;

      assertThat(listener.stored).hasSize(25);
      assertThat(millis).isGreaterThanOrEqualTo(900);
      assertThat(listener.counter("collector.ratelimit.pauses")).isPositive();
    }
  }
}
