package org.labmeter.collector.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttSubAckMessage;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.netty.handler.timeout.IdleStateHandler;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.labmeter.collector.LeakLog;
import org.labmeter.collector.TestBatches;
import org.labmeter.collector.auth.AgentRecord;
import org.labmeter.collector.auth.Authenticator;
import org.labmeter.collector.auth.InMemoryAgentDirectory;
import org.labmeter.collector.ingest.GroupableTask;
import org.labmeter.collector.ingest.IngestOutcome;
import org.labmeter.collector.ingest.PublishSink;
import org.labmeter.collector.ingest.ShardDispatcher;
import org.labmeter.collector.ingest.TelemetryPublish;
import org.labmeter.collector.metrics.CollectorMetrics;
import org.labmeter.collector.verify.ChainLink;

/**
 * The connection handler on an in-memory channel. Authentication and the workers run inline on the
 * test thread, so every answer is in the outbound queue when writeInbound returns.
 */
class MqttConnectionHandlerTest {
  private static final String AGENT = "agent-1";
  private static final String SECRET = "secret-1";
  private static final String OWN_TOPIC = "labmeter/v1/agent-1/nmr-1/telemetry";

  private final InMemoryAgentDirectory directory =
      new InMemoryAgentDirectory()
          .put(TestBatches.agent(AGENT, SECRET, TestBatches.signer(1), "nmr-1"));
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final CollectorMetrics metrics = new CollectorMetrics(registry);
  private final List<String> sunk = new ArrayList<>();
  private IngestOutcome nextOutcome = new IngestOutcome.Stored(5, ChainLink.LINKED);

  private final PublishSink sink =
      new PublishSink() {
        @Override
        public IngestOutcome telemetry(
            AgentRecord agent, String instrumentId, String topic, byte[] payload, long at) {
          sunk.add(
              agent.agentId()
                  + " "
                  + instrumentId
                  + " "
                  + new String(payload, StandardCharsets.UTF_8));
          return nextOutcome;
        }

        @Override
        public IngestOutcome status(AgentRecord agent, byte[] payload) {
          sunk.add(agent.agentId() + " status");
          return new IngestOutcome.StatusNoted();
        }
      };

  private final ShardDispatcher inline =
      (agentId, task, resume) -> {
        task.run();
        return ShardDispatcher.Admission.ACCEPTED;
      };

  private EmbeddedChannel channel() {
    ConnectionServices services =
        new ConnectionServices(
            new Authenticator(directory),
            Runnable::run,
            inline,
            sink,
            new SessionRegistry(),
            metrics);
    return new EmbeddedChannel(new MqttConnectionHandler(services));
  }

  /** Channel with the real codec in front, for tests that feed raw bytes. */
  private EmbeddedChannel codecChannel() {
    ConnectionServices services =
        new ConnectionServices(
            new Authenticator(directory),
            Runnable::run,
            inline,
            sink,
            new SessionRegistry(),
            metrics);
    return new EmbeddedChannel(
        new MqttDecoder(300_000), MqttEncoder.INSTANCE, new MqttConnectionHandler(services));
  }

  private static MqttMessage connect(String user, String password) {
    return MqttMessageBuilders.connect()
        .clientId("client-1")
        .protocolVersion(MqttVersion.MQTT_3_1_1)
        .cleanSession(true)
        .keepAlive(30)
        .username(user)
        .password(password.getBytes(StandardCharsets.UTF_8))
        .build();
  }

  private static MqttPublishMessage publish(String topic, MqttQoS qos, int packetId, String body) {
    return MqttMessageBuilders.publish()
        .topicName(topic)
        .qos(qos)
        .messageId(packetId)
        .payload(Unpooled.copiedBuffer(body, StandardCharsets.UTF_8))
        .build();
  }

  private static MqttConnectReturnCode connAckCode(EmbeddedChannel ch) {
    MqttConnAckMessage ack = ch.readOutbound();
    return ack.variableHeader().connectReturnCode();
  }

  private static int pubAckId(EmbeddedChannel ch) {
    MqttMessage ack = ch.readOutbound();
    assertThat(ack.fixedHeader().messageType()).isEqualTo(MqttMessageType.PUBACK);
    return ((MqttMessageIdVariableHeader) ack.variableHeader()).messageId();
  }

  private EmbeddedChannel connected() {
    EmbeddedChannel ch = channel();
    ch.writeInbound(connect(AGENT, SECRET));
    assertThat(connAckCode(ch)).isEqualTo(MqttConnectReturnCode.CONNECTION_ACCEPTED);
    return ch;
  }

  private double rejected(String reason) {
    return metrics.rejectedCount(reason);
  }

  @AfterAll
  static void noBufferLeaked() {
    assertThat(LeakLog.reports()).isEmpty();
  }

  @Test
  void aPacketBeforeConnectClosesTheConnection() {
    EmbeddedChannel ch = channel();
    MqttPublishMessage early = publish(OWN_TOPIC, MqttQoS.AT_LEAST_ONCE, 1, "x");

    ch.writeInbound(early);

    assertThat(ch.isOpen()).isFalse();
    assertThat((Object) ch.readOutbound()).isNull();
    assertThat(early.refCnt()).isZero();
    assertThat(rejected("protocol")).isEqualTo(1);
    assertThat(sunk).isEmpty();
  }

  @Test
  void aSecondConnectClosesTheConnection() {
    EmbeddedChannel ch = connected();

    ch.writeInbound(connect(AGENT, SECRET));

    assertThat(ch.isOpen()).isFalse();
    assertThat(rejected("protocol")).isEqualTo(1);
  }

  @Test
  void aWrongPasswordGetsReturnCode5AndIsClosed() {
    EmbeddedChannel ch = channel();

    ch.writeInbound(connect(AGENT, "wrong"));

    assertThat(connAckCode(ch)).isEqualTo(MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED);
    assertThat(MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED.byteValue())
        .isEqualTo((byte) 5);
    ch.runPendingTasks();
    assertThat(ch.isOpen()).isFalse();
    assertThat(
            registry.counter("collector.connections.refused", "reason", "bad_credential").count())
        .isEqualTo(1);
  }

  @Test
  void anUnknownAgentGetsReturnCode5() {
    EmbeddedChannel ch = channel();

    ch.writeInbound(connect("agent-9", SECRET));

    assertThat(connAckCode(ch)).isEqualTo(MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED);
  }

  @Test
  void aWillOnAnotherTopicThanTheAgentsStatusIsRefused() {
    EmbeddedChannel ch = channel();
    MqttMessage connect =
        MqttMessageBuilders.connect()
            .clientId("client-1")
            .protocolVersion(MqttVersion.MQTT_3_1_1)
            .username(AGENT)
            .password(SECRET.getBytes(StandardCharsets.UTF_8))
            .willFlag(true)
            .willTopic("labmeter/v1/agent-2/status")
            .willMessage("offline".getBytes(StandardCharsets.UTF_8))
            .build();

    ch.writeInbound(connect);

    assertThat(connAckCode(ch)).isEqualTo(MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED);
  }

  @Test
  void aTelemetryPublishIsHandedOnAndAcknowledgedWithItsPacketId() {
    EmbeddedChannel ch = connected();
    MqttPublishMessage publish = publish(OWN_TOPIC, MqttQoS.AT_LEAST_ONCE, 42, "batch");

    ch.writeInbound(publish);

    assertThat(pubAckId(ch)).isEqualTo(42);
    assertThat(sunk).containsExactly("agent-1 nmr-1 batch");
    assertThat(publish.refCnt()).isZero();
    assertThat(ch.isOpen()).isTrue();
  }

  @Test
  void aQos0PublishIsHandedOnWithoutAck() {
    EmbeddedChannel ch = connected();

    ch.writeInbound(publish(OWN_TOPIC, MqttQoS.AT_MOST_ONCE, 0, "batch"));

    assertThat((Object) ch.readOutbound()).isNull();
    assertThat(sunk).containsExactly("agent-1 nmr-1 batch");
  }

  @Test
  void aPublishToAnotherAgentsTopicClosesTheConnection() {
    EmbeddedChannel ch = connected();
    MqttPublishMessage publish =
        publish("labmeter/v1/agent-2/nmr-1/telemetry", MqttQoS.AT_LEAST_ONCE, 1, "batch");

    ch.writeInbound(publish);

    assertThat(ch.isOpen()).isFalse();
    assertThat((Object) ch.readOutbound()).isNull();
    assertThat(sunk).isEmpty();
    assertThat(publish.refCnt()).isZero();
    assertThat(rejected("acl")).isEqualTo(1);
  }

  @Test
  void aQos2PublishClosesTheConnection() {
    EmbeddedChannel ch = connected();

    ch.writeInbound(publish(OWN_TOPIC, MqttQoS.EXACTLY_ONCE, 1, "batch"));

    assertThat(ch.isOpen()).isFalse();
    assertThat(sunk).isEmpty();
    assertThat(rejected("qos2")).isEqualTo(1);
  }

  @Test
  void aFailedStoreWriteGetsNoAckAndClosesTheConnection() {
    EmbeddedChannel ch = connected();
    nextOutcome = new IngestOutcome.StoreFailed("store down");

    ch.writeInbound(publish(OWN_TOPIC, MqttQoS.AT_LEAST_ONCE, 7, "batch"));

    assertThat((Object) ch.readOutbound()).isNull();
    assertThat(ch.isOpen()).isFalse();
  }

  @Test
  void aRejectedBatchIsStillAcknowledged() {
    EmbeddedChannel ch = connected();
    nextOutcome =
        new IngestOutcome.Rejected(org.labmeter.collector.verify.RejectReason.BAD_SIGNATURE);

    ch.writeInbound(publish(OWN_TOPIC, MqttQoS.AT_LEAST_ONCE, 8, "batch"));

    assertThat(pubAckId(ch)).isEqualTo(8);
    assertThat(ch.isOpen()).isTrue();
  }

  @Test
  void subscribeGetsAFailureForEveryFilter() {
    EmbeddedChannel ch = connected();

    ch.writeInbound(
        MqttMessageBuilders.subscribe()
            .messageId(3)
            .addSubscription(MqttQoS.AT_LEAST_ONCE, "labmeter/v1/+/+/telemetry")
            .addSubscription(MqttQoS.AT_MOST_ONCE, "#")
            .build());

    MqttSubAckMessage ack = ch.readOutbound();
    assertThat(ack.variableHeader().messageId()).isEqualTo(3);
    assertThat(ack.payload().grantedQoSLevels()).containsExactly(0x80, 0x80);
    assertThat(ch.isOpen()).isTrue();
  }

  @Test
  void pingIsAnsweredAndStatusMessagesAreAcknowledged() {
    EmbeddedChannel ch = connected();

    ch.writeInbound(MqttMessage.PINGREQ);
    ch.writeInbound(publish("labmeter/v1/agent-1/status", MqttQoS.AT_LEAST_ONCE, 9, "online"));

    MqttMessage pong = ch.readOutbound();
    assertThat(pong.fixedHeader().messageType()).isEqualTo(MqttMessageType.PINGRESP);
    assertThat(pubAckId(ch)).isEqualTo(9);
    assertThat(sunk).containsExactly("agent-1 status");
  }

  @Test
  void mqtt31IsRefusedAsUnacceptableProtocolVersion() {
    EmbeddedChannel ch = codecChannel();
    ByteBuf connect31 =
        Unpooled.wrappedBuffer(
            new byte[] {
              0x10,
              22, // CONNECT, remaining length 22
              0x00,
              0x06,
              'M',
              'Q',
              'I',
              's',
              'd',
              'p', // protocol name of MQTT 3.1
              0x03, // protocol level 3
              (byte) 0xC2, // flags: user name, password, clean session
              0x00,
              0x3C, // keep-alive 60 s
              0x00,
              0x02,
              'c',
              '1', // client id
              0x00,
              0x01,
              'a', // user name
              0x00,
              0x01,
              'p' // password
            });

    ch.writeInbound(connect31);

    ByteBuf out = ch.readOutbound();
    byte[] connack = new byte[out.readableBytes()];
    out.readBytes(connack);
    out.release();
    // CONNACK, remaining length 2, no session, return code 1 (unacceptable protocol version)
    assertThat(connack).containsExactly(0x20, 0x02, 0x00, 0x01);
    ch.runPendingTasks();
    assertThat(ch.isOpen()).isFalse();
  }

  @Test
  void aFullWorkerQueuePausesReadingUntilTheWorkerCallsBack() {
    List<Runnable> resumes = new ArrayList<>();
    ShardDispatcher full =
        (agentId, task, resume) -> {
          resumes.add(resume);
          task.run();
          return ShardDispatcher.Admission.PAUSE_READING;
        };
    EmbeddedChannel ch =
        new EmbeddedChannel(
            new MqttConnectionHandler(
                new ConnectionServices(
                    new Authenticator(directory),
                    Runnable::run,
                    full,
                    sink,
                    new SessionRegistry(),
                    metrics)));
    ch.writeInbound(connect(AGENT, SECRET));
    assertThat(connAckCode(ch)).isEqualTo(MqttConnectReturnCode.CONNECTION_ACCEPTED);

    ch.writeInbound(publish(OWN_TOPIC, MqttQoS.AT_LEAST_ONCE, 1, "batch"));

    assertThat(pubAckId(ch)).isEqualTo(1);
    assertThat(ch.config().isAutoRead()).isFalse();
    assertThat(registry.counter("collector.backpressure.pauses").count()).isEqualTo(1);
    resumes.get(0).run();
    assertThat(ch.config().isAutoRead()).isTrue();
  }

  /** Holds submitted work until the test runs it as one group, as a busy worker would. */
  private final List<GroupableTask> held = new ArrayList<>();

  private final ShardDispatcher holding =
      (agentId, task, resume) -> {
        held.add((GroupableTask) task);
        return ShardDispatcher.Admission.ACCEPTED;
      };

  private final List<List<String>> groups = new ArrayList<>();
  private boolean groupFails;

  /** Writes each group "in one request", which fails when {@code groupFails} is set. */
  private final PublishSink groupSink =
      new PublishSink() {
        @Override
        public IngestOutcome telemetry(
            AgentRecord agent, String instrumentId, String topic, byte[] payload, long at) {
          throw new AssertionError("groups only");
        }

        @Override
        public List<IngestOutcome> telemetryGroup(Iterator<TelemetryPublish> group) {
          List<String> bodies = new ArrayList<>();
          group.forEachRemaining(p -> bodies.add(new String(p.payload(), StandardCharsets.UTF_8)));
          groups.add(bodies);
          IngestOutcome outcome =
              groupFails
                  ? new IngestOutcome.StoreFailed("store down")
                  : new IngestOutcome.Stored(1, ChainLink.LINKED);
          return java.util.Collections.nCopies(bodies.size(), outcome);
        }

        @Override
        public IngestOutcome status(AgentRecord agent, byte[] payload) {
          return new IngestOutcome.StatusNoted();
        }
      };

  private EmbeddedChannel groupedChannel(String clientId) {
    EmbeddedChannel ch =
        new EmbeddedChannel(
            new MqttConnectionHandler(
                new ConnectionServices(
                    new Authenticator(directory),
                    Runnable::run,
                    holding,
                    groupSink,
                    new SessionRegistry(),
                    metrics)));
    ch.writeInbound(
        MqttMessageBuilders.connect()
            .clientId(clientId)
            .protocolVersion(MqttVersion.MQTT_3_1_1)
            .cleanSession(true)
            .username(AGENT)
            .password(SECRET.getBytes(StandardCharsets.UTF_8))
            .build());
    assertThat(connAckCode(ch)).isEqualTo(MqttConnectReturnCode.CONNECTION_ACCEPTED);
    return ch;
  }

  private void runHeldAsOneGroup() {
    List<GroupableTask> group = new ArrayList<>(held);
    held.clear();
    group.get(0).runGroup(group.iterator());
  }

  @Test
  void aGroupGoesToTheSinkInOneCallAndEachConnectionGetsItsPubAcksInOrder() {
    EmbeddedChannel first = groupedChannel("client-1");
    EmbeddedChannel second = groupedChannel("client-2");
    first.writeInbound(publish(OWN_TOPIC, MqttQoS.AT_LEAST_ONCE, 1, "a1"));
    second.writeInbound(publish(OWN_TOPIC, MqttQoS.AT_LEAST_ONCE, 7, "b1"));
    first.writeInbound(publish("labmeter/v1/agent-1/status", MqttQoS.AT_LEAST_ONCE, 2, "up"));
    first.writeInbound(publish(OWN_TOPIC, MqttQoS.AT_LEAST_ONCE, 3, "a2"));
    assertThat((Object) first.readOutbound()).as("nothing acknowledged before the write").isNull();

    runHeldAsOneGroup();

    assertThat(groups).containsExactly(List.of("a1", "b1", "a2"));
    assertThat(pubAckId(first)).isEqualTo(1);
    assertThat(pubAckId(first)).isEqualTo(2);
    assertThat(pubAckId(first)).isEqualTo(3);
    assertThat(pubAckId(second)).isEqualTo(7);
    assertThat(first.isOpen()).isTrue();
    assertThat(second.isOpen()).isTrue();
  }

  @Test
  void aFailedGroupAcknowledgesNothingClosesEveryConnectionInItAndSkipsTheirQueuedWork() {
    EmbeddedChannel first = groupedChannel("client-1");
    EmbeddedChannel second = groupedChannel("client-2");
    first.writeInbound(publish(OWN_TOPIC, MqttQoS.AT_LEAST_ONCE, 1, "a1"));
    first.writeInbound(publish("labmeter/v1/agent-1/status", MqttQoS.AT_LEAST_ONCE, 2, "up"));
    second.writeInbound(publish(OWN_TOPIC, MqttQoS.AT_LEAST_ONCE, 7, "b1"));
    first.writeInbound(publish(OWN_TOPIC, MqttQoS.AT_LEAST_ONCE, 3, "a2"));
    List<GroupableTask> failing = new ArrayList<>(held.subList(0, 3));
    List<GroupableTask> queuedBehind = new ArrayList<>(held.subList(3, 4));
    groupFails = true;

    failing.get(0).runGroup(failing.iterator());
    groupFails = false;
    queuedBehind.get(0).runGroup(queuedBehind.iterator());
    first.runPendingTasks();
    second.runPendingTasks();

    // not even the status message: nothing of a failed group is acknowledged
    assertThat((Object) first.readOutbound()).isNull();
    assertThat((Object) second.readOutbound()).isNull();
    assertThat(first.isOpen()).isFalse();
    assertThat(second.isOpen()).isFalse();
    // a2 was queued behind the failed a1: never written past the gap, the agent resends both
    assertThat(groups).containsExactly(List.of("a1", "b1"));
  }

  private EmbeddedChannel channelWithIdleTimer() {
    MqttConnectionHandler handler =
        new MqttConnectionHandler(
            new ConnectionServices(
                new Authenticator(directory),
                Runnable::run,
                inline,
                sink,
                new SessionRegistry(),
                metrics));
    EmbeddedChannel ch =
        new EmbeddedChannel(
            new ChannelInitializer<>() {
              @Override
              protected void initChannel(Channel c) {
                c.pipeline()
                    .addLast(
                        MqttChannelInitializer.IDLE,
                        new IdleStateHandler(10, 0, 0, TimeUnit.SECONDS))
                    .addLast(handler);
              }
            });
    ch.freezeTime();
    return ch;
  }

  @Test
  void aConnectionWithoutConnectIsClosedAfterTheConnectTimeout() {
    EmbeddedChannel ch = channelWithIdleTimer();

    ch.advanceTimeBy(9, TimeUnit.SECONDS);
    ch.runScheduledPendingTasks();
    assertThat(ch.isOpen()).isTrue();
    ch.advanceTimeBy(2, TimeUnit.SECONDS);
    ch.runScheduledPendingTasks();

    assertThat(ch.isOpen()).isFalse();
  }

  @Test
  void aSilentAgentIsClosedAfterOneAndAHalfKeepAlives() {
    EmbeddedChannel ch = channelWithIdleTimer();
    ch.writeInbound(connect(AGENT, SECRET)); // keep-alive 30 s
    assertThat(connAckCode(ch)).isEqualTo(MqttConnectReturnCode.CONNECTION_ACCEPTED);

    ch.advanceTimeBy(44, TimeUnit.SECONDS);
    ch.runScheduledPendingTasks();
    assertThat(ch.isOpen()).isTrue();
    ch.advanceTimeBy(2, TimeUnit.SECONDS);
    ch.runScheduledPendingTasks();

    assertThat(ch.isOpen()).isFalse();
  }

  @Test
  void anUndecodablePacketClosesTheConnectionAndIsCounted() {
    EmbeddedChannel ch = codecChannel();
    // PUBLISH with QoS bits 11, which MQTT forbids
    ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {0x36, 0x00}));

    assertThat(ch.isOpen()).isFalse();
    assertThat(rejected("bad_packet")).isEqualTo(1);
  }
}
