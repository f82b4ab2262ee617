package org.labmeter.collector.mqtt;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Binds the MQTT listener and owns its event loops: one acceptor thread ({@code
 * collector-mqtt-accept}) and the connection threads ({@code collector-mqtt-io}).
 */
public final class MqttServer {
  private final String host;
  private final int port;
  private final MqttChannelInitializer initializer;
  private final EventLoopGroup acceptGroup;
  private final EventLoopGroup ioGroup;
  private volatile Channel serverChannel;

  public MqttServer(String host, int port, int ioThreads, MqttChannelInitializer initializer) {
    this.host = host;
    this.port = port;
    this.initializer = initializer;
    this.acceptGroup =
        new MultiThreadIoEventLoopGroup(
            1, new DefaultThreadFactory("collector-mqtt-accept"), NioIoHandler.newFactory());
    this.ioGroup =
        new MultiThreadIoEventLoopGroup(
            ioThreads, new DefaultThreadFactory("collector-mqtt-io"), NioIoHandler.newFactory());
  }

  /** Completes with the bound address once the listener accepts connections. */
  public CompletableFuture<InetSocketAddress> start() {
    CompletableFuture<InetSocketAddress> bound = new CompletableFuture<>();
    new ServerBootstrap()
        .group(acceptGroup, ioGroup)
        .channel(NioServerSocketChannel.class)
        .option(ChannelOption.SO_BACKLOG, 1024)
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childHandler(initializer)
        .bind(host, port)
        .addListener(
            f -> {
              if (f.isSuccess()) {
                Channel channel = ((io.netty.channel.ChannelFuture) f).channel();
                serverChannel = channel;
                bound.complete((InetSocketAddress) channel.localAddress());
              } else {
                bound.completeExceptionally(f.cause());
              }
            });
    return bound;
  }

  /** Stops accepting new connections; open ones stay. */
  public void stopAccepting() {
    Channel channel = serverChannel;
    if (channel != null) {
      channel.close().awaitUninterruptibly();
    }
  }

  /** Shuts both event loops down, waiting at most {@code timeout}. */
  public void shutdown(Duration timeout) {
    long millis = timeout.toMillis();
    acceptGroup.shutdownGracefully(0, millis, TimeUnit.MILLISECONDS);
    ioGroup.shutdownGracefully(0, millis, TimeUnit.MILLISECONDS);
    acceptGroup.terminationFuture().awaitUninterruptibly(millis);
    ioGroup.terminationFuture().awaitUninterruptibly(millis);
  }
}
