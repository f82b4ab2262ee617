package org.labmeter.collector.mqtt;

import io.netty.channel.Channel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.ChannelGroupFuture;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The open connections. MQTT requires that a new connection with a client id already in use
 * replaces the old one; an agent that reconnects over a half-open TCP link would otherwise run two
 * sessions side by side. Keyed by agent and client id, so one agent cannot push another out.
 */
public final class SessionRegistry {
  private static final Logger LOG = LoggerFactory.getLogger(SessionRegistry.class);

  private final ChannelGroup channels =
      new DefaultChannelGroup("collector-connections", GlobalEventExecutor.INSTANCE);
  private final ConcurrentMap<String, Channel> byClient = new ConcurrentHashMap<>();
  private volatile boolean draining;

  void opened(Channel channel) {
    channels.add(channel);
  }

  /** Records an authenticated session; closes an older connection of the same client. */
  void authenticated(String agentId, String clientId, Channel channel) {
    if (clientId == null || clientId.isEmpty()) {
      return;
    }
    Channel previous = byClient.put(agentId + '\n' + clientId, channel);
    if (previous != null && previous != channel) {
      LOG.info(
          "Agent {} connected again with client id {}; closing its older connection {}",
          agentId,
          clientId,
          previous.remoteAddress());
      previous.close();
    }
  }

  void closed(String agentId, String clientId, Channel channel) {
    if (agentId != null && clientId != null) {
      byClient.remove(agentId + '\n' + clientId, channel);
    }
  }

  /** Stops reading from every connection, so that no new work arrives while workers drain. */
  public void pauseReading() {
    draining = true;
    for (Channel channel : channels) {
      channel.config().setAutoRead(false);
    }
  }

  /** True once the collector is stopping; connections must then not resume reading. */
  boolean draining() {
    return draining;
  }

  public ChannelGroupFuture closeAll() {
    return channels.close();
  }

  public int size() {
    return channels.size();
  }
}
