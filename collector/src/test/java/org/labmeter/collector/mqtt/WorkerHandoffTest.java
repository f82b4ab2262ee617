package org.labmeter.collector.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttVersion;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
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
 * A worker queue that refuses publishes (full beyond its pause margin) makes the connection hold
 * them and stop reading, never close: on an in-memory channel with a dispatcher we control.
 */
class WorkerHandoffTest {
  private final List<Integer> stored = new ArrayList<>();
  private boolean full;

  private final PublishSink sink =
      new PublishSink() {
        @Override
        public IngestOutcome telemetry(
            AgentRecord agent, String instrumentId, String topic, byte[] payload, long at) {
          stored.add((int) payload[0]);
          return new IngestOutcome.Stored(1, ChainLink.LINKED);
        }

        @Override
        public IngestOutcome status(AgentRecord agent, byte[] payload) {
          return new IngestOutcome.StatusNoted();
        }
      };

  private EmbeddedChannel connected() {
    ShardDispatcher controlled =
        (agentId, task, resume) -> {
          if (full) {
            return ShardDispatcher.Admission.REFUSED;
          }
          task.run();
          return ShardDispatcher.Admission.ACCEPTED;
        };
    ConnectionServices services =
        new ConnectionServices(
            new Authenticator(
                new InMemoryAgentDirectory()
                    .put(TestBatches.agent("agent-1", "secret-1", TestBatches.signer(1), "nmr-1"))),
            Runnable::run,
            controlled,
            sink,
            new SessionRegistry(),
            new CollectorMetrics(new SimpleMeterRegistry()));
    EmbeddedChannel ch = new EmbeddedChannel(new MqttConnectionHandler(services));
    ch.writeInbound(
        MqttMessageBuilders.connect()
            .clientId("agent-1")
            .protocolVersion(MqttVersion.MQTT_3_1_1)
            .cleanSession(true)
            .keepAlive(30)
            .username("agent-1")
            .password("secret-1".getBytes(StandardCharsets.UTF_8))
            .build());
    MqttConnAckMessage ack = ch.readOutbound();
    assertThat(ack.variableHeader().connectReturnCode())
        .isEqualTo(MqttConnectReturnCode.CONNECTION_ACCEPTED);
    return ch;
  }

  private static Object publish(int id) {
    return MqttMessageBuilders.publish()
        .topicName("labmeter/v1/agent-1/nmr-1/telemetry")
        .qos(MqttQoS.AT_LEAST_ONCE)
        .messageId(id)
        .payload(Unpooled.wrappedBuffer(new byte[] {(byte) id}))
        .build();
  }

  @Test
  void refusedPublishesWaitInOrderWithReadingPausedAndGoOnWhenThereIsRoom() {
    EmbeddedChannel ch = connected();
    ch.writeInbound(publish(1));
    full = true;
    ch.writeInbound(publish(2));
    ch.writeInbound(publish(3)); // decoded in the same read: waits behind 2

    assertThat(ch.isOpen()).as("a full worker queue never closes the connection").isTrue();
    assertThat(ch.config().isAutoRead()).as("reading paused while publishes wait").isFalse();
    assertThat(stored).containsExactly(1);

    ch.advanceTimeBy(10, TimeUnit.MILLISECONDS);
    ch.runScheduledPendingTasks();
    assertThat(stored).as("still full: still waiting").containsExactly(1);
    assertThat(ch.config().isAutoRead()).isFalse();

    full = false;
    ch.advanceTimeBy(10, TimeUnit.MILLISECONDS);
    ch.runScheduledPendingTasks();

    assertThat(stored).containsExactly(1, 2, 3);
    assertThat(ch.config().isAutoRead()).as("reading resumes once nothing waits").isTrue();
    List<Integer> acked = new ArrayList<>();
    for (Object out; (out = ch.readOutbound()) != null; ) {
      acked.add(((MqttMessageIdVariableHeader) ((MqttMessage) out).variableHeader()).messageId());
    }
    assertThat(acked).containsExactly(1, 2, 3);
    assertThat(ch.isOpen()).isTrue();
  }

  @Test
  void whatWaitsIsDroppedUnacknowledgedWhenTheConnectionCloses() {
    EmbeddedChannel ch = connected();
    full = true;
    ch.writeInbound(publish(7));
    ch.close();
    full = false;
    ch.advanceTimeBy(10, TimeUnit.MILLISECONDS);
    ch.runScheduledPendingTasks();

    assertThat(stored).as("never handed over: the agent resends it").isEmpty();
  }
}
