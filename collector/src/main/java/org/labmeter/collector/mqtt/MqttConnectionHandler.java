package org.labmeter.collector.mqtt;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttIdentifierRejectedException;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttUnacceptableProtocolVersionException;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.EventExecutor;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.labmeter.collector.auth.AgentRecord;
import org.labmeter.collector.auth.AuthResult;
import org.labmeter.collector.config.CollectorConfig;
import org.labmeter.collector.ingest.IngestOutcome;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One MQTT 3.1.1 or 5 connection of one agent, from CONNECT to close: the state machine (awaiting
 * CONNECT, authenticating, connected, closing) and the few fields it needs. The checks live beside
 * it: {@link ConnectHandshake} for CONNECT, {@link PublishAdmission} for each PUBLISH, {@link
 * ReadGate} for the reasons reading is paused. Runs only on the channel's event loop and never
 * blocks it: credential checks and batch work are handed to executors and their results come back
 * to the loop. Every inbound message is released here, PUBLISH payloads right after they are
 * copied.
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
  private final int maxPacketBytes;
  private final List<Object> pending = new ArrayList<>();

  /**
   * Set by the worker once a store write failed: later queued work of this connection is skipped.
   */
  private final AtomicBoolean abandoned = new AtomicBoolean();

  private State state = State.AWAITING_CONNECT;
  private String agentId;
  private ConnectHandshake.Request session;
  private PublishAdmission admission;
  private PublishPacer pacer;
  private WorkerHandoff handoff;
  private ReadGate gate;
  private ConnectionEnd end;
  private ChannelHandlerContext ctx;
  private Runnable resumeReading;
  private LastWill will;

  public MqttConnectionHandler(ConnectionServices services) {
    this(services, CollectorConfig.DEFAULT_MAX_PACKET_BYTES);
  }

  /**
   * @param maxPacketBytes the decoder's cap, announced to MQTT 5 clients
   */
  public MqttConnectionHandler(ConnectionServices services, int maxPacketBytes) {
    this.services = services;
    this.maxPacketBytes = maxPacketBytes;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
    this.gate = new ReadGate(ctx.channel(), services.sessions());
    this.end = new ConnectionEnd(ctx, services.metrics());
    this.resumeReading = () -> onLoop(() -> gate.resume(ReadGate.Reason.WORKERS));
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
    if (session != null) {
      services.sessions().closed(agentId, session.clientId(), ctx.channel());
    }
    if (state == State.CONNECTED) {
      LOG.info("Agent {} disconnected ({})", agentId, ctx.channel().remoteAddress());
    }
    if (will != null && admission != null) {
      will.deliver(services, admission.agent());
    }
    will = null;
    state = State.CLOSING;
    pending.clear();
    super.channelInactive(ctx);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    try {
      if (!(msg instanceof MqttMessage message)) {
        close(CloseReason.PROTOCOL, "unexpected object " + msg.getClass().getName());
        return;
      }
      if (message.decoderResult().isFailure()) {
        onDecoderFailure(message.decoderResult().cause());
        return;
      }
      if (message instanceof MqttPublishMessage publish) {
        if (publish.variableHeader().properties().getProperty(MqttProperties.TOPIC_ALIAS) != null) {
          close(CloseReason.TOPIC_ALIAS, "topic alias in a PUBLISH (topic alias maximum is 0)");
          return;
        }
        route(InboundPublish.copyOf(publish));
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
            session.keepAliveSeconds());
        disconnect(CloseReason.KEEP_ALIVE_TIMEOUT, "keep-alive timeout");
      } else {
        LOG.info("No CONNECT from {} in time; closing", ctx.channel().remoteAddress());
        state = State.CLOSING;
        ctx.close();
      }
      return;
    }
    if (evt == SessionRegistry.ServerShutdown.INSTANCE) {
      will = null; // the collector is stopping: it could not record the will any more
      if (state == State.CONNECTED) {
        disconnect(CloseReason.SERVER_SHUTTING_DOWN, "the collector is shutting down");
      } else {
        state = State.CLOSING;
        ctx.close();
      }
      return;
    }
    if (evt == SessionRegistry.SessionTakenOver.INSTANCE) {
      // the newer connection's birth says the agent is online; a will now would contradict it
      will = null;
      services.metrics().sessionTakenOver();
      disconnect(CloseReason.SESSION_TAKEN_OVER, "a newer connection of this client took over");
      return;
    }
    super.userEventTriggered(ctx, evt);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (cause instanceof IOException) {
      LOG.info("Connection {} of agent {} lost: {}", ctx.channel().remoteAddress(), agentId, cause);
    } else {
      LOG.warn(
          "Connection {} of agent {} failed: {}", ctx.channel().remoteAddress(), agentId, cause);
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
          close(CloseReason.PROTOCOL, "first packet was " + typeOf(message) + ", not CONNECT");
        }
      }
      case AUTHENTICATING -> {
        if (message instanceof MqttConnectMessage) {
          close(CloseReason.PROTOCOL, "second CONNECT");
        } else if (pending.size() >= MAX_PENDING_BEFORE_CONNACK) {
          close(CloseReason.PROTOCOL, "too many packets before CONNACK");
        } else {
          pending.add(message); // PUBLISH payloads were copied; nothing here holds a buffer
        }
      }
      case CONNECTED -> pacer.offer(message);
      case CLOSING -> {}
    }
  }

  private void onConnect(MqttConnectMessage connect) {
    agentId = connect.payload().userName();
    ConnectHandshake.Outcome outcome =
        ConnectHandshake.check(connect, services.listener(), ClientCertificate.of(ctx.channel()));
    if (outcome instanceof ConnectHandshake.Refuse refuse) {
      refuse(refuse.why(), refuse.mqtt5(), refuse.detail());
      return;
    }
    ConnectHandshake.Request request = ((ConnectHandshake.Proceed) outcome).request();
    state = State.AUTHENTICATING;
    gate.pause(ReadGate.Reason.AUTHENTICATING);
    try {
      services
          .authExecutor()
          .execute(
              () -> {
                AuthResult result =
                    request.authenticate(services.authenticator(), services.listener().tls());
                onLoop(() -> onAuthenticated(request, result));
              });
    } catch (RejectedExecutionException e) {
      refuse(ConnectRefusal.BUSY, request.mqtt5(), "authentication queue is full");
    }
  }

  private void onAuthenticated(ConnectHandshake.Request request, AuthResult result) {
    if (state != State.AUTHENTICATING || !ctx.channel().isActive()) {
      return;
    }
    if (result instanceof AuthResult.Refused refused) {
      refuse(ConnectRefusal.of(refused.reason()), request.mqtt5(), refused.reason().tag());
      return;
    }
    AgentRecord agent = ((AuthResult.Granted) result).agent();
    ListenerSettings limits = services.listener();
    SessionRegistry.Admission admitted =
        services
            .sessions()
            .authenticated(
                agentId, request.clientId(), ctx.channel(), limits.maxConnectionsPerAgent());
    if (admitted == SessionRegistry.Admission.TOO_MANY) {
      refuse(
          ConnectRefusal.AGENT_CONNECTIONS,
          request.mqtt5(),
          "agent already holds mqtt.maxConnectionsPerAgent ("
              + limits.maxConnectionsPerAgent()
              + ") connections");
      return;
    }
    session = request;
    will = request.will();
    admission = new PublishAdmission(agent, request.mqtt5(), limits.receiveMaximum());
    pacer =
        new PublishPacer(
            limits.publishRatePerAgent() > 0 ? services.sessions().rateOf(agentId, limits) : null,
            ctx.executor(),
            this::onAdmitted,
            this::pauseForRate,
            () -> gate.resume(ReadGate.Reason.RATE),
            () -> state != State.CONNECTED);
    handoff =
        new WorkerHandoff(
            services.workers(),
            agentId,
            ctx.executor(),
            gate,
            resumeReading,
            services.metrics(),
            () -> services.sessions().draining(),
            () -> state != State.CONNECTED);
    state = State.CONNECTED;
    ctx.writeAndFlush(ConnectHandshake.accepted(request, limits, maxPacketBytes));
    MqttChannelInitializer.keepAlive(ctx.pipeline(), request.keepAliveSeconds());
    LOG.info(
        "Agent {} connected from {} (MQTT {}, client id '{}', keep-alive {} s{})",
        agentId,
        ctx.channel().remoteAddress(),
        request.mqtt5() ? "5" : "3.1.1",
        request.clientId(),
        request.keepAliveSeconds(),
        request.certificate().isPresent() ? ", client certificate" : "");
    List<Object> replay = new ArrayList<>(pending);
    pending.clear();
    for (Object message : replay) {
      if (state == State.CONNECTED) {
        pacer.offer(message);
      }
    }
    gate.resume(ReadGate.Reason.AUTHENTICATING);
  }

  /** A packet the agent's publish rate lets through, in arrival order. */
  private void onAdmitted(Object message) {
    if (message instanceof InboundPublish publish) {
      onPublish(publish);
      return;
    }
    MqttMessage m = (MqttMessage) message;
    switch (m.fixedHeader().messageType()) {
      case CONNECT -> close(CloseReason.PROTOCOL, "second CONNECT");
      case PINGREQ, SUBSCRIBE, UNSUBSCRIBE -> {
        if (m.fixedHeader().messageType() == MqttMessageType.SUBSCRIBE) {
          LOG.info("Agent {} tried to subscribe to {}; refused", agentId, m.payload());
        }
        ctx.writeAndFlush(MqttReplies.answer(m, session.mqtt5()));
      }
      case DISCONNECT -> {
        if (!LastWill.keptOnDisconnect(m)) {
          will = null; // a clean DISCONNECT discards the will
        }
        state = State.CLOSING;
        ctx.close();
      }
      default -> close(CloseReason.PROTOCOL, "unexpected " + m.fixedHeader().messageType());
    }
  }

  private void onPublish(InboundPublish publish) {
    PublishAdmission.Decision decision = admission.admit(publish);
    if (decision instanceof PublishAdmission.Close c) {
      close(c.reason(), c.why());
      return;
    }
    if (decision instanceof PublishAdmission.Refuse r) {
      services.metrics().rejected(r.tag());
      LOG.warn(
          "Refused a publish of agent {} to {}: {}", agentId, publish.topic(), r.reasonString());
      ctx.writeAndFlush(
          MqttReplies.pubAck(
              publish.packetId(), r.reasonCode(), session.reasonString(r.reasonString())));
      return;
    }
    PublishWork work =
        new PublishWork(
            services.sink(),
            admission.agent(),
            ((PublishAdmission.Admit) decision).target(),
            publish,
            System.currentTimeMillis(),
            abandoned,
            outcome -> onLoop(() -> onProcessed(publish, outcome)));
    if (handoff.hand(work) == WorkerHandoff.Result.SHUTTING_DOWN) {
      disconnect(CloseReason.SERVER_SHUTTING_DOWN, "the collector is shutting down");
    }
  }

  private void pauseForRate() {
    if (gate.pause(ReadGate.Reason.RATE)) {
      services.metrics().publishRateLimited();
      LOG.debug("Agent {} is over its publish rate; reading paused", agentId);
    }
  }

  private void onProcessed(InboundPublish publish, IngestOutcome outcome) {
    admission.answered(publish);
    if (!outcome.acknowledge()) {
      if (state != State.CLOSING) {
        LOG.warn(
            "Closing the connection of agent {}: a batch could not be stored; it will resend",
            agentId);
        disconnect(CloseReason.STORE_FAILED, "batch not stored; send it again");
      }
      return;
    }
    // a connection closed by an earlier failure of its own sends nothing more
    if (publish.qos() == MqttQoS.AT_LEAST_ONCE
        && state == State.CONNECTED
        && ctx.channel().isActive()) {
      ctx.writeAndFlush(MqttReplies.pubAck(session, publish.packetId(), outcome));
    }
  }

  private void onDecoderFailure(Throwable cause) {
    if (state == State.AWAITING_CONNECT
        && cause instanceof MqttUnacceptableProtocolVersionException) {
      refuse(ConnectRefusal.PROTOCOL_VERSION, false, cause.getMessage());
    } else if (state == State.AWAITING_CONNECT
        && cause instanceof MqttIdentifierRejectedException) {
      refuse(ConnectRefusal.CLIENT_ID, false, cause.getMessage());
    } else if (cause instanceof TooLongFrameException) {
      close(CloseReason.PACKET_TOO_LARGE, "packet too large: " + cause.getMessage());
    } else {
      close(CloseReason.BAD_PACKET, "undecodable packet: " + cause);
    }
  }

  private void refuse(ConnectRefusal why, boolean mqtt5, String detail) {
    state = State.CLOSING;
    end.refuse(why, mqtt5, agentId, detail);
  }

  /** Closes after a problem of the client's; logged once, counted by reason. */
  private void close(CloseReason reason, String why) {
    if (state != State.CLOSING) {
      boolean tell = state == State.CONNECTED && session.mqtt5();
      state = State.CLOSING;
      end.reject(reason, agentId, why, tell);
    }
  }

  /** Closes for a reason that is not counted as a rejection. */
  private void disconnect(CloseReason reason, String why) {
    boolean tell = state == State.CONNECTED && session.mqtt5();
    state = State.CLOSING;
    end.close(reason, why, tell);
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
