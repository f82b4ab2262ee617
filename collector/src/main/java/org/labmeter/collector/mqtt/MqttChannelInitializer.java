package org.labmeter.collector.mqtt;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.timeout.IdleStateHandler;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The pipeline of one connection, and nothing else: decoder with an explicit size cap, encoder, an
 * idle timer (first the CONNECT deadline, then 1.5 x the client's keep-alive) and the handler.
 */
public final class MqttChannelInitializer extends ChannelInitializer<SocketChannel> {
  static final String IDLE = "idle";

  private final int maxPacketBytes;
  private final Duration connectTimeout;
  private final ConnectionServices services;

  public MqttChannelInitializer(
      int maxPacketBytes, Duration connectTimeout, ConnectionServices services) {
    this.maxPacketBytes = maxPacketBytes;
    this.connectTimeout = connectTimeout;
    this.services = services;
  }

  @Override
  protected void initChannel(SocketChannel ch) {
    ch.pipeline()
        .addLast("decoder", new MqttDecoder(maxPacketBytes))
        .addLast("encoder", MqttEncoder.INSTANCE)
        .addLast(IDLE, new IdleStateHandler(connectTimeout.toMillis(), 0, 0, TimeUnit.MILLISECONDS))
        .addLast("handler", new MqttConnectionHandler(services));
  }
}
