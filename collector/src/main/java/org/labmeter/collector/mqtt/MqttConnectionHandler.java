package org.labmeter.collector.mqtt;

import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttIdentifierRejectedException;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttSubscribeMessage;
import io.netty.handler.codec.mqtt.MqttUnacceptableProtocolVersionException;
import io.netty.handler.codec.mqtt.MqttUnsubscribeMessage;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.EventExecutor;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.labmeter.collector.auth.AgentRecord;
import org.labmeter.collector.auth.AuthResult;
import org.labmeter.collector.auth.PublishTarget;
import org.labmeter.collector.auth.TopicAcl;
import org.labmeter.collector.ingest.IngestOutcome;
import org.labmeter.collector.ingest.ShardDispatcher.Admission;
import org.labmeter.wire.Ids;
import org.labmeter.wire.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One MQTT 3.1.1 connection of one agent, from CONNECT to close. Runs only on the channel's event
 * loop and never blocks it: credential checks and batch work are handed to executors and their
 * results come back to the loop. Every inbound message is released here, PUBLISH payloads right
 * after they are copied.
 */
public final class MqttConnectionHandler extends ChannelInboundHandlerAdapter {
  private static final Logger LOG = LoggerFactory.getLogger(MqttConnectionHandler.class);

  /** Packets a client may send between CONNECT and our CONNACK before we give up on it. */
  static final int MAX_PENDING_BEFORE_CONNACK = 32;

  private enum State {
    AWAITING_CONNECT,
    AUTHENTICATING,
    CONNECTED,
    CLOSING
  }

  private final ConnectionServices services;
  private final List<Object> pending = new ArrayList<>();

  /**
   * Set by the worker once a store write failed: later queued work of this connection is skipped.
   */
  private final AtomicBoolean abandoned = new AtomicBoolean();

  private State state = State.AWAITING_CONNECT;
  private String agentId;
  private String clientId;
  private AgentRecord agent;
  private int keepAliveSeconds;
  private boolean pausedByWorkers;
  private ChannelHandlerContext ctx;
  private Runnable resumeReading;

  public MqttConnectionHandler(ConnectionServices services) {
    this.services = services;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
    this.resumeReading = () -> onLoop(this::resumeAfterBackpressure);
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) throws Exception {
    services.metrics().connectionOpened();
    services.sessions().opened(ctx.channel());
    super.channelActive(ctx);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    services.metrics().connectionClosed();
    services.sessions().closed(agentId, clientId, ctx.channel());
    if (state == State.CONNECTED) {
      LOG.info("Agent {} disconnected ({})", agentId, ctx.channel().remoteAddress());
    }
    state = State.CLOSING;
    pending.clear();
    super.channelInactive(ctx);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    try {
      if (!(msg instanceof MqttMessage message)) {
        close("unexpected object " + msg.getClass().getName(), "bad_packet");
        return;
      }
      if (message.decoderResult().isFailure()) {
        onDecoderFailure(message.decoderResult().cause());
        return;
      }
      if (message instanceof MqttPublishMessage publish) {
        route(
            new InboundPublish(
                publish.variableHeader().topicName(),
                publish.fixedHeader().qosLevel(),
                publish.variableHeader().packetId(),
                ByteBufUtil.getBytes(publish.payload())));
      } else {
        route(message);
      }
    } finally {
      ReferenceCountUtil.release(msg);
    }
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
    if (evt instanceof IdleStateEvent) {
      if (state == State.CONNECTED) {
        LOG.info(
            "Agent {} sent nothing for 1.5 x its keep-alive of {} s; closing",
            agentId,
            keepAliveSeconds);
      } else {
        LOG.info("No CONNECT from {} in time; closing", ctx.channel().remoteAddress());
      }
      state = State.CLOSING;
      ctx.close();
      return;
    }
    super.userEventTriggered(ctx, evt);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (cause instanceof IOException) {
      LOG.info("Connection {} of agent {} lost: {}", ctx.channel().remoteAddress(), agentId, cause);
    } else {
      LOG.warn("Connection {} of agent {} failed", ctx.channel().remoteAddress(), agentId, cause);
    }
    state = State.CLOSING;
    ctx.close();
  }

  private void route(Object message) {
    switch (state) {
      case AWAITING_CONNECT -> {
        if (message instanceof MqttConnectMessage connect) {
          onConnect(connect);
        } else {
          close("first packet was " + typeOf(message) + ", not CONNECT", "protocol");
        }
      }
      case AUTHENTICATING -> {
        if (message instanceof MqttConnectMessage) {
          close("second CONNECT", "protocol");
        } else if (pending.size() >= MAX_PENDING_BEFORE_CONNACK) {
          close("too many packets before CONNACK", "protocol");
        } else {
          pending.add(message);
        }
      }
      case CONNECTED -> onConnected(message);
      case CLOSING -> {}
    }
  }

  private void onConnect(MqttConnectMessage connect) {
    int level = connect.variableHeader().version();
    agentId = connect.payload().userName();
    if (level != 4) {
      refuse(
          level == 5
              ? MqttConnectReturnCode.CONNECTION_REFUSED_UNSUPPORTED_PROTOCOL_VERSION
              : MqttConnectReturnCode.CONNECTION_REFUSED_UNACCEPTABLE_PROTOCOL_VERSION,
          "protocol_version",
          "MQTT protocol level " + level + " (only 3.1.1, level 4, is served)");
      return;
    }
    if (connect.variableHeader().isWillFlag()
        && !(Ids.isValid(agentId)
            && Topics.status(agentId).equals(connect.payload().willTopic()))) {
      refuse(
          MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED,
          "will_topic",
          "will topic " + connect.payload().willTopic() + " is not the agent's status topic");
      return;
    }
    clientId = connect.payload().clientIdentifier();
    if (clientId.isEmpty() && !connect.variableHeader().isCleanSession()) {
      refuse(
          MqttConnectReturnCode.CONNECTION_REFUSED_IDENTIFIER_REJECTED,
          "client_id",
          "empty client id without clean session");
      return;
    }
    keepAliveSeconds = connect.variableHeader().keepAliveTimeSeconds();
    byte[] password = connect.payload().passwordInBytes();
    String user = agentId;
    state = State.AUTHENTICATING;
    ctx.channel().config().setAutoRead(false);
    try {
      services
          .authExecutor()
          .execute(
              () -> {
                AuthResult result = services.authenticator().authenticate(user, password);
                onLoop(() -> onAuthenticated(result));
              });
    } catch (RejectedExecutionException e) {
      refuse(
          MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_UNAVAILABLE,
          "busy",
          "authentication queue is full");
    }
  }

  private void onAuthenticated(AuthResult result) {
    if (state != State.AUTHENTICATING || !ctx.channel().isActive()) {
      return;
    }
    if (result instanceof AuthResult.Refused refused) {
      refuse(
          refused.reason() == AuthResult.Reason.DIRECTORY_UNAVAILABLE
              ? MqttConnectReturnCode.CONNECTION_REFUSED_SERVER_UNAVAILABLE
              : MqttConnectReturnCode.CONNECTION_REFUSED_NOT_AUTHORIZED,
          refused.reason().tag(),
          refused.reason().tag());
      return;
    }
    agent = ((AuthResult.Granted) result).agent();
    state = State.CONNECTED;
    services.sessions().authenticated(agentId, clientId, ctx.channel());
    ctx.writeAndFlush(MqttReplies.connAck(MqttConnectReturnCode.CONNECTION_ACCEPTED));
    if (ctx.pipeline().get(MqttChannelInitializer.IDLE) != null) {
      if (keepAliveSeconds > 0) {
        ctx.pipeline()
            .replace(
                MqttChannelInitializer.IDLE,
                MqttChannelInitializer.IDLE,
                new IdleStateHandler(keepAliveSeconds * 1500L, 0, 0, TimeUnit.MILLISECONDS));
      } else {
        ctx.pipeline().remove(MqttChannelInitializer.IDLE);
      }
    }
    LOG.info(
        "Agent {} connected from {} (client id '{}', keep-alive {} s)",
        agentId,
        ctx.channel().remoteAddress(),
        clientId,
        keepAliveSeconds);
    List<Object> replay = new ArrayList<>(pending);
    pending.clear();
    for (Object message : replay) {
      if (state != State.CONNECTED) {
        return;
      }
      onConnected(message);
    }
    if (state == State.CONNECTED && !pausedByWorkers && !services.sessions().draining()) {
      ctx.channel().config().setAutoRead(true);
    }
  }

  private void onConnected(Object message) {
    if (message instanceof InboundPublish publish) {
      onPublish(publish);
      return;
    }
    MqttMessage m = (MqttMessage) message;
    switch (m.fixedHeader().messageType()) {
      case CONNECT -> close("second CONNECT", "protocol");
      case PINGREQ -> ctx.writeAndFlush(MqttReplies.pingResp());
      case SUBSCRIBE -> {
        MqttSubscribeMessage subscribe = (MqttSubscribeMessage) m;
        LOG.info("Agent {} tried to subscribe to {}; refused", agentId, subscribe.payload());
        ctx.writeAndFlush(
            MqttReplies.subAckRefusingAll(
                subscribe.variableHeader().messageId(),
                subscribe.payload().topicSubscriptions().size()));
      }
      case UNSUBSCRIBE ->
          ctx.writeAndFlush(
              MqttReplies.unsubAck(((MqttUnsubscribeMessage) m).variableHeader().messageId()));
      case DISCONNECT -> {
        state = State.CLOSING;
        ctx.close();
      }
      default -> close("unexpected " + m.fixedHeader().messageType(), "protocol");
    }
  }

  private void onPublish(InboundPublish publish) {
    if (publish.qos() == MqttQoS.EXACTLY_ONCE) {
      close("QoS 2 PUBLISH to " + publish.topic() + " (only QoS 0 and 1 are served)", "qos2");
      return;
    }
    PublishTarget target = TopicAcl.classify(agent, publish.topic());
    if (target instanceof PublishTarget.Denied denied) {
      close("publish to " + publish.topic() + ": " + denied.why(), "acl");
      return;
    }
    PublishWork work =
        new PublishWork(
            services.sink(),
            agent,
            target,
            publish,
            System.currentTimeMillis(),
            abandoned,
            outcome -> onLoop(() -> onProcessed(publish, outcome)));
    Admission admission = services.workers().submit(agentId, work, resumeReading);
    if (admission == Admission.REFUSED) {
      close("worker queue full", "overload");
    } else if (admission == Admission.PAUSE_READING && !pausedByWorkers) {
      pausedByWorkers = true;
      ctx.channel().config().setAutoRead(false);
      services.metrics().backpressurePaused();
    }
  }

  private void onProcessed(InboundPublish publish, IngestOutcome outcome) {
    if (!outcome.acknowledge()) {
      if (state != State.CLOSING) {
        LOG.warn(
            "Closing the connection of agent {}: a batch could not be stored; it will resend",
            agentId);
        state = State.CLOSING;
        ctx.close();
      }
      return;
    }
    // a connection closed by an earlier failure of its own sends nothing more
    if (publish.qos() == MqttQoS.AT_LEAST_ONCE
        && state == State.CONNECTED
        && ctx.channel().isActive()) {
      ctx.writeAndFlush(MqttReplies.pubAck(publish.packetId()));
    }
  }

  private void resumeAfterBackpressure() {
    pausedByWorkers = false;
    if (state == State.CONNECTED && !services.sessions().draining()) {
      ctx.channel().config().setAutoRead(true);
    }
  }

  private void onDecoderFailure(Throwable cause) {
    if (state == State.AWAITING_CONNECT
        && cause instanceof MqttUnacceptableProtocolVersionException) {
      refuse(
          MqttConnectReturnCode.CONNECTION_REFUSED_UNACCEPTABLE_PROTOCOL_VERSION,
          "protocol_version",
          cause.getMessage());
    } else if (state == State.AWAITING_CONNECT
        && cause instanceof MqttIdentifierRejectedException) {
      refuse(
          MqttConnectReturnCode.CONNECTION_REFUSED_IDENTIFIER_REJECTED,
          "client_id",
          cause.getMessage());
    } else {
      close("undecodable packet: " + cause, "bad_packet");
    }
  }

  private void refuse(MqttConnectReturnCode code, String reasonTag, String detail) {
    state = State.CLOSING;
    services.metrics().connectionRefused(reasonTag);
    LOG.warn(
        "Refused connection from {} as agent {}: {} (CONNACK {})",
        ctx.channel().remoteAddress(),
        agentId,
        detail,
        code);
    ctx.writeAndFlush(MqttReplies.connAck(code)).addListener(ChannelFutureListener.CLOSE);
  }

  /** Closes after a protocol, ACL or overload problem; logged once, counted by reason. */
  private void close(String why, String reasonTag) {
    if (state == State.CLOSING) {
      return;
    }
    state = State.CLOSING;
    services.metrics().rejected(reasonTag);
    LOG.warn("Closing connection {} of agent {}: {}", ctx.channel().remoteAddress(), agentId, why);
    ctx.close();
  }

  /** Runs {@code task} on this channel's event loop, now if already there. */
  private void onLoop(Runnable task) {
    EventExecutor loop = ctx.executor();
    if (loop.inEventLoop()) {
      task.run();
      return;
    }
    try {
      loop.execute(task);
    } catch (RejectedExecutionException e) {
      LOG.debug("Event loop of agent {} already stopped; dropping a completion", agentId);
    }
  }

  private static String typeOf(Object message) {
    return message instanceof InboundPublish
        ? "PUBLISH"
        : String.valueOf(((MqttMessage) message).fixedHeader().messageType());
  }
}
