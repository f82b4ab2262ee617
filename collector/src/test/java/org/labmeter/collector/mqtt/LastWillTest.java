package org.labmeter.collector.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttReasonCodeAndPropertiesVariableHeader;
import io.netty.handler.codec.mqtt.MqttVersion;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.labmeter.collector.TestBatches;
import org.labmeter.collector.auth.AgentRecord;
import org.labmeter.collector.auth.Authenticator;
import org.labmeter.collector.auth.InMemoryAgentDirectory;
import org.labmeter.collector.ingest.IngestOutcome;
import org.labmeter.collector.ingest.PublishSink;
import org.labmeter.collector.ingest.ShardDispatcher;
import org.labmeter.collector.metrics.CollectorMetrics;

/** The listener's handling of an agent's will, on an in-memory channel with inline workers. */
class LastWillTest {
  private static final String WILL = "{\"state\":\"offline\",\"epoch\":3,\"ts\":1000}";

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final SessionRegistry sessions = new SessionRegistry();
  private final List<String> statuses = new CopyOnWriteArrayList<>();

  private final PublishSink sink =
      new PublishSink() {
        @Override
        public IngestOutcome telemetry(
            AgentRecord agent, String instrumentId, String topic, byte[] payload, long at) {
          throw new AssertionError("no telemetry in these tests");
        }

        @Override
        public IngestOutcome status(AgentRecord agent, byte[] payload) {
          statuses.add(agent.agentId() + " " + new String(payload, StandardCharsets.UTF_8));
          return new IngestOutcome.StatusNoted();
        }
      };

  private EmbeddedChannel connected(MqttVersion version) {
    ShardDispatcher inline =
        (agentId, task, resume) -> {
          task.run();
          return ShardDispatcher.Admission.ACCEPTED;
        };
    ConnectionServices services =
        new ConnectionServices(
            new Authenticator(
                new InMemoryAgentDirectory()
                    .put(TestBatches.agent("agent-1", "secret-1", TestBatches.signer(1), "nmr-1"))),
            Runnable::run,
            inline,
            sink,
            sessions,
            new CollectorMetrics(registry));
    EmbeddedChannel ch = new EmbeddedChannel(new MqttConnectionHandler(services));
    ch.writeInbound(
        MqttMessageBuilders.connect()
            .clientId("client-1")
            .protocolVersion(version)
            .cleanSession(true)
            .keepAlive(30)
            .username("agent-1")
            .password("secret-1".getBytes(StandardCharsets.UTF_8))
            .willFlag(true)
            .willQoS(MqttQoS.AT_LEAST_ONCE)
            .willTopic("labmeter/v1/agent-1/status")
            .willMessage(WILL.getBytes(StandardCharsets.UTF_8))
            .build());
    MqttConnAckMessage ack = ch.readOutbound();
    assertThat(ack.variableHeader().connectReturnCode())
        .isEqualTo(MqttConnectReturnCode.CONNECTION_ACCEPTED);
    return ch;
  }

  private static MqttMessage disconnect(int reasonCode) {
    return new MqttMessage(
        new MqttFixedHeader(MqttMessageType.DISCONNECT, false, MqttQoS.AT_MOST_ONCE, false, 0),
        new MqttReasonCodeAndPropertiesVariableHeader(
            (byte) reasonCode, MqttProperties.NO_PROPERTIES));
  }

  private double delivered() {
    var c = registry.find("collector.wills.delivered").counter();
    return c == null ? 0 : c.count();
  }

  @Test
  void aConnectionThatEndsWithoutDisconnectDeliversItsWillOnce() {
    EmbeddedChannel ch = connected(MqttVersion.MQTT_3_1_1);

    ch.close();
    ch.close();

    assertThat(statuses).containsExactly("agent-1 " + WILL);
    assertThat(delivered()).isEqualTo(1.0);
  }

  @Test
  void aCleanDisconnectDiscardsTheWill() {
    EmbeddedChannel ch = connected(MqttVersion.MQTT_3_1_1);

    ch.writeInbound(MqttMessage.DISCONNECT);

    assertThat(ch.isOpen()).isFalse();
    assertThat(statuses).isEmpty();
  }

  @Test
  void anMqtt5DisconnectWithReasonZeroDiscardsTheWillAndWithReasonFourSendsIt() {
    EmbeddedChannel normal = connected(MqttVersion.MQTT_5);
    normal.writeInbound(disconnect(0x00));
    assertThat(normal.isOpen()).isFalse();
    assertThat(statuses).isEmpty();

    EmbeddedChannel withWill = connected(MqttVersion.MQTT_5);
    withWill.writeInbound(disconnect(0x04));

    assertThat(withWill.isOpen()).isFalse();
    assertThat(statuses).containsExactly("agent-1 " + WILL);
  }

  @Test
  void aConnectionClosedForAProtocolProblemDeliversItsWill() {
    EmbeddedChannel ch = connected(MqttVersion.MQTT_3_1_1);

    ch.writeInbound(
        MqttMessageBuilders.publish()
            .topicName("labmeter/v1/agent-2/status")
            .qos(MqttQoS.AT_MOST_ONCE)
            .payload(io.netty.buffer.Unpooled.EMPTY_BUFFER)
            .build());

    assertThat(ch.isOpen()).isFalse();
    assertThat(statuses).containsExactly("agent-1 " + WILL);
  }

  @Test
  void aStoppingCollectorSendsNoWill() {
    EmbeddedChannel ch = connected(MqttVersion.MQTT_5);

    ch.pipeline().fireUserEventTriggered(SessionRegistry.ServerShutdown.INSTANCE);

    MqttMessage sent = ch.readOutbound();
    assertThat(sent.fixedHeader().messageType()).isEqualTo(MqttMessageType.DISCONNECT);
    assertThat(((MqttReasonCodeAndPropertiesVariableHeader) sent.variableHeader()).reasonCode())
        .isEqualTo((byte) 0x8B);
    assertThat(ch.isOpen()).isFalse();
    assertThat(statuses).isEmpty();
  }
}
