package org.labmeter.collector.mqtt;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.timeout.IdleStateHandler;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The pipeline of one connection, and nothing else: TLS when configured, decoder with an explicit
 * size cap, encoder, an idle timer (first the CONNECT deadline, then 1.5 x the keep-alive) and the
 * handler.
 */
public final class MqttChannelInitializer extends ChannelInitializer<SocketChannel> {
  static final String IDLE = "idle";
  static final String TLS = "tls";

  private final int maxPacketBytes;
  private final Duration connectTimeout;
  private final ConnectionServices services;
  private final SslContext tls;

  public MqttChannelInitializer(
      int maxPacketBytes, Duration connectTimeout, ConnectionServices services) {
    this(maxPacketBytes, connectTimeout, services, null);
  }

  /**
   * @param tls the server's TLS context (see {@link ServerTls}), or null for plain TCP
   */
  public MqttChannelInitializer(
      int maxPacketBytes, Duration connectTimeout, ConnectionServices services, SslContext tls) {
    this.maxPacketBytes = maxPacketBytes;
    this.connectTimeout = connectTimeout;
    this.services = services;
    this.tls = tls;
  }

  /** After CONNACK: the idle timer becomes 1.5 x the keep-alive, or goes for keep-alive 0. */
  static void keepAlive(ChannelPipeline pipeline, int keepAliveSeconds) {
    if (pipeline.get(IDLE) == null) {
      return;
    }
    if (keepAliveSeconds > 0) {
      pipeline.replace(
          IDLE, IDLE, new IdleStateHandler(keepAliveSeconds * 1500L, 0, 0, TimeUnit.MILLISECONDS));
    } else {
      pipeline.remove(IDLE);
    }
  }

  @Override
  protected void initChannel(SocketChannel ch) {
    if (tls != null) {
      // the CONNECT deadline below also bounds the handshake
      ch.pipeline().addLast(TLS, tls.newHandler(ch.alloc()));
    }
    ch.pipeline()
        .addLast("decoder", new MqttDecoder(maxPacketBytes))
        .addLast("encoder", MqttEncoder.INSTANCE)
        .addLast(IDLE, new IdleStateHandler(connectTimeout.toMillis(), 0, 0, TimeUnit.MILLISECONDS))
        .addLast("handler", new MqttConnectionHandler(services, maxPacketBytes));
  }
}
