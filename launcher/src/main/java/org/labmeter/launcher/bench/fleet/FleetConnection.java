package org.labmeter.launcher.bench.fleet;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoop;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttPubAckMessage;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.netty.handler.timeout.IdleStateEvent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One MQTT 3.1.1 client connection of the load generator: CONNECT on activation, QoS 1 PUBLISH with
 * the intended send time kept per packet id, PUBACK turned into a latency record. As a drain
 * subscriber it acknowledges every PUBLISH it receives. All state is touched on its event loop.
 */
final class FleetConnection extends SimpleChannelInboundHandler<MqttMessage> {
  private final String clientId;
  private final String user;
  private final String password;
  private final String subscribeFilter;
  private final LatencyLog latencies;
  private final AtomicLong acked;
  private final AtomicLong received;
  private final long[] intendedAt = new long[65536];
  private final CompletableFuture<Void> ready = new CompletableFuture<>();
  private int nextId = 1;
  private volatile Channel channel;
  private volatile boolean closing;

  FleetConnection(
      String clientId,
      String user,
      String password,
      String subscribeFilter,
      LatencyLog latencies,
      AtomicLong acked,
      AtomicLong received) {
    this.clientId = clientId;
    this.user = user;
    this.password = password;
    this.subscribeFilter = subscribeFilter;
    this.latencies = latencies;
    this.acked = acked;
    this.received = received;
  }

  /** Completes when CONNACK (and, for a subscriber, SUBACK) arrived. */
  CompletableFuture<Void> ready() {
    return ready;
  }

  /** One publish to hand over: which connection, what, and when it was meant to be sent. */
  record Send(FleetConnection connection, String topic, byte[] envelope, long intendedNanos) {}

  /**
   * Publishes from any thread, with one task per event loop: the packet ids and the send times are
   * set on the loops.
   */
  static void publishAll(List<Send> sends) {
    Map<EventLoop, List<Send>> byLoop = new IdentityHashMap<>();
    for (Send send : sends) {
      byLoop.computeIfAbsent(send.connection.channel.eventLoop(), l -> new ArrayList<>()).add(send);
    }
    byLoop.forEach(
        (loop, mine) ->
            loop.execute(
                () -> {
                  for (Send send : mine) {
                    send.connection.publishNow(send.topic, send.envelope, send.intendedNanos);
                  }
                }));
  }

  private void publishNow(String topic, byte[] envelope, long intendedNanos) {
    int id = nextId;
    nextId = id == 65535 ? 1 : id + 1;
    intendedAt[id] = intendedNanos;
    channel.writeAndFlush(
        MqttMessageBuilders.publish()
            .topicName(topic)
            .qos(MqttQoS.AT_LEAST_ONCE)
            .messageId(id)
            .payload(Unpooled.wrappedBuffer(envelope))
            .build());
  }

  void close() {
    closing = true;
    Channel c = channel;
    if (c != null) {
      c.writeAndFlush(
          new MqttMessage(
              new MqttFixedHeader(
                  MqttMessageType.DISCONNECT, false, MqttQoS.AT_MOST_ONCE, false, 0)));
      c.close();
    }
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    channel = ctx.channel();
    MqttMessageBuilders.ConnectBuilder connect =
        MqttMessageBuilders.connect()
            .clientId(clientId)
            .protocolVersion(MqttVersion.MQTT_3_1_1)
            .cleanSession(true)
            .keepAlive(60);
    if (user != null) {
      connect.hasUser(true).username(user);
    }
    if (password != null) {
      connect.hasPassword(true).password(password.getBytes(StandardCharsets.UTF_8));
    }
    ctx.writeAndFlush(connect.build());
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, MqttMessage msg) {
    if (msg.decoderResult().isFailure()) {
      ready.completeExceptionally(msg.decoderResult().cause());
      ctx.close();
      return;
    }
    switch (msg.fixedHeader().messageType()) {
      case CONNACK -> {
        MqttConnectReturnCode code =
            ((MqttConnAckMessage) msg).variableHeader().connectReturnCode();
        if (code != MqttConnectReturnCode.CONNECTION_ACCEPTED) {
          ready.completeExceptionally(new IllegalStateException(clientId + " refused: " + code));
        } else if (subscribeFilter == null) {
          ready.complete(null);
        } else {
          ctx.writeAndFlush(
              MqttMessageBuilders.subscribe()
                  .messageId(1)
                  .addSubscription(MqttQoS.AT_LEAST_ONCE, subscribeFilter)
                  .build());
        }
      }
      case SUBACK -> ready.complete(null);
      case PUBACK -> {
        int id = ((MqttPubAckMessage) msg).variableHeader().messageId();
        latencies.record(intendedAt[id], System.nanoTime());
        acked.incrementAndGet();
      }
      case PUBLISH -> {
        MqttPublishMessage publish = (MqttPublishMessage) msg;
        received.incrementAndGet();
        if (publish.fixedHeader().qosLevel() == MqttQoS.AT_LEAST_ONCE) {
          ctx.writeAndFlush(
              new MqttPubAckMessage(
                  new MqttFixedHeader(
                      MqttMessageType.PUBACK, false, MqttQoS.AT_MOST_ONCE, false, 2),
                  MqttMessageIdVariableHeader.from(publish.variableHeader().packetId())));
        }
      }
      default -> {}
    }
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof IdleStateEvent) {
      ctx.writeAndFlush(
          new MqttMessage(
              new MqttFixedHeader(MqttMessageType.PINGREQ, false, MqttQoS.AT_MOST_ONCE, false, 0)));
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (!closing) {
      System.err.printf("connection %s closed by the server%n", clientId);
    }
    ready.completeExceptionally(new IllegalStateException(clientId + " closed"));
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    ready.completeExceptionally(cause);
    ctx.close();
  }
}
