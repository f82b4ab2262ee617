package org.labmeter.collector.mqtt;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import org.labmeter.collector.metrics.CollectorMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How the collector ends a connection: counted by reason, logged once, and told why where the
 * protocol lets it (a refusing CONNACK; for MQTT 5 after CONNACK, a DISCONNECT with a reason code),
 * then closed. The handler decides when; this class only says it. Event loop only.
 */
final class ConnectionEnd {
  private static final Logger LOG = LoggerFactory.getLogger(MqttConnectionHandler.class);

  private final ChannelHandlerContext ctx;
  private final CollectorMetrics metrics;

  ConnectionEnd(ChannelHandlerContext ctx, CollectorMetrics metrics) {
    this.ctx = ctx;
    this.metrics = metrics;
  }

  /** Answers a CONNECT with a refusing CONNACK, then closes. */
  void refuse(ConnectRefusal why, boolean mqtt5, String agentId, String detail) {
    metrics.connectionRefused(why.tag());
    LOG.warn(
        "Refused connection from {} as agent {}: {} (CONNACK {})",
        ctx.channel().remoteAddress(),
        agentId,
        detail,
        why.code(mqtt5));
    ctx.writeAndFlush(ConnectHandshake.refused(why, mqtt5, detail))
        .addListener(ChannelFutureListener.CLOSE);
  }

  /** Closes after a protocol, ACL or overload problem of the client's; counted by reason. */
  void reject(CloseReason reason, String agentId, String why, boolean tell) {
    metrics.rejected(reason.tag());
    LOG.warn("Closing connection {} of agent {}: {}", ctx.channel().remoteAddress(), agentId, why);
    close(reason, why, tell);
  }

  /**
   * @param tell whether to send an MQTT 5 DISCONNECT first (MQTT 5, after CONNACK)
   */
  void close(CloseReason reason, String why, boolean tell) {
    if (tell && ctx.channel().isActive()) {
      ctx.writeAndFlush(MqttReplies.disconnect(reason.code(), why))
          .addListener(ChannelFutureListener.CLOSE);
    } else {
      ctx.close();
    }
  }
}
