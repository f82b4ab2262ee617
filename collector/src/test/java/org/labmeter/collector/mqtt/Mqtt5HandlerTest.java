package org.labmeter.collector.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPubReplyMessageVariableHeader;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttReasonCodeAndPropertiesVariableHeader;
import io.netty.handler.codec.mqtt.MqttVersion;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.labmeter.collector.TestBatches;
import org.labmeter.collector.auth.AgentRecord;
import org.labmeter.collector.auth.Authenticator;
import org.labmeter.collector.auth.InMemoryAgentDirectory;
import org.labmeter.collector.ingest.IngestOutcome;
import org.labmeter.collector.ingest.PublishSink;
import org.labmeter.collector.ingest.ShardDispatcher;
import org.labmeter.collector.metrics.CollectorMetrics;
import org.labmeter.collector.verify.ChainLink;

/**
 * MQTT 5 and the listener limits on an in-memory channel: the packets the handler answers with,
 * field by field. Authentication runs inline; worker tasks are held until the test runs them.
 */
class Mqtt5HandlerTest {
  private static final String TOPIC = "labmeter/v1/agent-1/nmr-1/telemetry";

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final CollectorMetrics metrics = new CollectorMetrics(registry);
  private final List<Runnable> held = new ArrayList<>();
  private IngestOutcome outcome = new IngestOutcome.Stored(1, ChainLink.LINKED);

  private final PublishSink sink =
      new PublishSink() {
        @Override
        public IngestOutcome telemetry(
            AgentRecord agent, String instrumentId, String topic, byte[] payload, long at) {
          return outcome;
        }

        @Override
        public IngestOutcome status(AgentRecord agent, byte[] payload) {
          return new IngestOutcome.StatusNoted();
        }
      };

  private EmbeddedChannel channel(ListenerSettings settings) {
    InMemoryAgentDirectory directory =
        new InMemoryAgentDirectory()
            .put(TestBatches.agent("agent-1", "secret-1", TestBatches.signer(1), "nmr-1"));
    ShardDispatcher holding =
        (agentId, task, resume) -> {
          held.add(task);
          return ShardDispatcher.Admission.ACCEPTED;
        };
    ConnectionServices services =
        new ConnectionServices(
            new Authenticator(directory),
            Runnable::run,
            holding,
            sink,
            new SessionRegistry(),
            metrics,
            settings);
    return new EmbeddedChannel(new MqttConnectionHandler(services, 300_000));
  }

  private static MqttMessage connect(MqttVersion version, String clientId, int keepAlive) {
    return MqttMessageBuilders.connect()
        .clientId(clientId)
        .protocolVersion(version)
        .cleanSession(true)
        .keepAlive(keepAlive)
        .username("agent-1")
        .password("secret-1".getBytes(StandardCharsets.UTF_8))
        .build();
  }

  private static MqttPublishMessage publish(MqttQoS qos, int packetId, MqttProperties properties) {
    return MqttMessageBuilders.publish()
        .topicName(TOPIC)
        .qos(qos)
        .messageId(packetId)
        .properties(properties)
        .payload(Unpooled.copiedBuffer("batch", StandardCharsets.UTF_8))
        .build();
  }

  private EmbeddedChannel connected(ListenerSettings settings) {
    EmbeddedChannel ch = channel(settings);
    ch.writeInbound(connect(MqttVersion.MQTT_5, "client-1", 30));
    MqttConnAckMessage ack = ch.readOutbound();
    assertThat(ack.variableHeader().connectReturnCode())
        .isEqualTo(MqttConnectReturnCode.CONNECTION_ACCEPTED);
    return ch;
  }

  private static byte disconnectCode(EmbeddedChannel ch) {
    MqttMessage m = ch.readOutbound();
    assertThat(m.fixedHeader().messageType()).isEqualTo(MqttMessageType.DISCONNECT);
    return ((MqttReasonCodeAndPropertiesVariableHeader) m.variableHeader()).reasonCode();
  }

  private double rejected(String reason) {
    return metrics.rejectedCount(reason);
  }

  @Test
  void anEmptyClientIdIsAssignedOneInTheConnAck() {
    EmbeddedChannel ch = channel(ListenerSettings.DEFAULT);

    ch.writeInbound(connect(MqttVersion.MQTT_5, "", 30));

    MqttConnAckMessage ack = ch.readOutbound();
    assertThat(ack.variableHeader().connectReturnCode())
        .isEqualTo(MqttConnectReturnCode.CONNECTION_ACCEPTED);
    MqttProperties.MqttProperty<?> assigned =
        ack.variableHeader().properties().getProperty(MqttProperties.ASSIGNED_CLIENT_IDENTIFIER);
    assertThat((String) assigned.value()).startsWith("agent-1-");
  }

  @Test
  void qos2IsRefusedWithDisconnectQosNotSupported() {
    EmbeddedChannel ch = connected(ListenerSettings.DEFAULT);

    ch.writeInbound(publish(MqttQoS.EXACTLY_ONCE, 1, MqttProperties.NO_PROPERTIES));

    assertThat(disconnectCode(ch)).isEqualTo((byte) 0x9B);
    assertThat(ch.isOpen()).isFalse();
    assertThat(rejected("qos2")).isEqualTo(1);
    assertThat(held).isEmpty();
  }

  @Test
  void aTopicAliasIsRefusedWithDisconnectTopicAliasInvalid() {
    EmbeddedChannel ch = connected(ListenerSettings.DEFAULT);
    MqttProperties alias = new MqttProperties();
    alias.add(new MqttProperties.IntegerProperty(MqttProperties.TOPIC_ALIAS, 1));

    ch.writeInbound(publish(MqttQoS.AT_LEAST_ONCE, 1, alias));

    assertThat(disconnectCode(ch)).isEqualTo((byte) 0x94);
    assertThat(rejected("topic_alias")).isEqualTo(1);
  }

  @Test
  void moreUnacknowledgedPublishesThanTheReceiveMaximumAreRefused() {
    ListenerSettings two = new ListenerSettings(Duration.ZERO, Duration.ZERO, 4, 0, 100, 2, null);
    EmbeddedChannel ch = connected(two);

    ch.writeInbound(publish(MqttQoS.AT_LEAST_ONCE, 1, MqttProperties.NO_PROPERTIES));
    ch.writeInbound(publish(MqttQoS.AT_LEAST_ONCE, 2, MqttProperties.NO_PROPERTIES));
    held.remove(0).run(); // packet 1 answered: one in flight
    MqttMessage ack = ch.readOutbound();
    assertThat(((MqttPubReplyMessageVariableHeader) ack.variableHeader()).messageId()).isEqualTo(1);
    ch.writeInbound(publish(MqttQoS.AT_LEAST_ONCE, 3, MqttProperties.NO_PROPERTIES));
    assertThat(ch.isOpen()).isTrue(); // 2 and 3 in flight: at the maximum, not over it
    ch.writeInbound(publish(MqttQoS.AT_LEAST_ONCE, 4, MqttProperties.NO_PROPERTIES));

    assertThat(disconnectCode(ch)).isEqualTo((byte) 0x93);
    assertThat(rejected("receive_maximum")).isEqualTo(1);
  }

  @Test
  void aFailedStoreWriteGetsNoPubAckButADisconnectSoTheAgentResends() {
    EmbeddedChannel ch = connected(ListenerSettings.DEFAULT);
    outcome = new IngestOutcome.StoreFailed("store down");

    ch.writeInbound(publish(MqttQoS.AT_LEAST_ONCE, 7, MqttProperties.NO_PROPERTIES));
    held.remove(0).run();

    assertThat(disconnectCode(ch)).isEqualTo((byte) 0x80);
    assertThat(ch.isOpen()).isFalse();
  }

  @Test
  void anMqtt311KeepAliveOutsideTheBoundsIsRefused() {
    ListenerSettings bounded =
        new ListenerSettings(Duration.ofSeconds(10), Duration.ofSeconds(120), 4, 0, 100, 64, null);
    EmbeddedChannel tooShort = channel(bounded);
    tooShort.writeInbound(connect(MqttVersion.MQTT_3_1_1, "c", 5));
    MqttConnAckMessage ack = tooShort.readOutbound();
    assertThat(ack.variableHeader().connectReturnCode())
        .isEqualTo(MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED);

    EmbeddedChannel none = channel(bounded);
    none.writeInbound(connect(MqttVersion.MQTT_3_1_1, "c", 0)); // no keep-alive: beyond 120 s
    MqttConnAckMessage ack0 = none.readOutbound();
    assertThat(ack0.variableHeader().connectReturnCode())
        .isEqualTo(MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED);
    assertThat(registry.counter("collector.connections.refused", "reason", "keep_alive").count())
        .isEqualTo(2);

    EmbeddedChannel mqtt5 = channel(bounded);
    mqtt5.writeInbound(connect(MqttVersion.MQTT_5, "c", 5));
    MqttConnAckMessage ack5 = mqtt5.readOutbound();
    assertThat(ack5.variableHeader().connectReturnCode())
        .isEqualTo(MqttConnectReturnCode.CONNECTION_ACCEPTED);
    assertThat(
            ack5.variableHeader()
                .properties()
                .getProperty(MqttProperties.SERVER_KEEP_ALIVE)
                .value())
        .isEqualTo(10);
  }

  @Test
  void keepAliveBoundsFollowTheRules() {
    ListenerSettings bounded =
        new ListenerSettings(Duration.ofSeconds(10), Duration.ofSeconds(120), 4, 0, 100, 64, null);
    assertThat(ConnectHandshake.boundedKeepAlive(30, bounded)).isEqualTo(30);
    assertThat(ConnectHandshake.boundedKeepAlive(5, bounded)).isEqualTo(10);
    assertThat(ConnectHandshake.boundedKeepAlive(600, bounded)).isEqualTo(120);
    assertThat(ConnectHandshake.boundedKeepAlive(0, bounded)).isEqualTo(120);
    assertThat(ConnectHandshake.boundedKeepAlive(0, ListenerSettings.DEFAULT)).isZero();
  }
}
