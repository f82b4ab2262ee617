package org.labmeter.collector.mqtt;

import io.netty.channel.Channel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.ChannelGroupFuture;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The open connections, by agent. MQTT requires that a new connection with a client id already in
 * use replaces the old one; an agent that reconnects over a half-open TCP link would otherwise run
 * two sessions side by side. Keyed by agent and client id, so one agent cannot push another out.
 * Besides that, an agent may hold at most {@code maxConnectionsPerAgent} connections under
 * different client ids: one more is refused rather than taking an older one over, so that a leaked
 * credential cannot push the real agent off in a loop.
 *
 * <p>Also holds each agent's publish-rate bucket, shared by its connections.
 */
public final class SessionRegistry {
  private static final Logger LOG = LoggerFactory.getLogger(SessionRegistry.class);

  /** What became of an authenticated connection. */
  enum Admission {
    ADMITTED,
    /** It replaced an older connection with the same client id, which is being closed. */
    TOOK_OVER,
    /** The agent already holds its maximum of connections under other client ids. */
    TOO_MANY
  }

  private final ChannelGroup channels =
      new DefaultChannelGroup("collector-connections", GlobalEventExecutor.INSTANCE);
  private final Map<String, Map<String, Channel>> byAgent = new HashMap<>();
  private final ConcurrentMap<String, TokenBucket> rates = new ConcurrentHashMap<>();
  private volatile boolean draining;

  void opened(Channel channel) {
    channels.add(channel);
  }

  /**
   * Records an authenticated session. An older connection of the same client is told (user event
   * {@link SessionTakenOver}) on its own loop and closes.
   *
   * @param clientId may be empty (MQTT 3.1.1 with clean session): such a connection is keyed by its
   *     channel and never takes another over
   */
  Admission authenticated(String agentId, String clientId, Channel channel, int maxPerAgent) {
    String key =
        clientId == null || clientId.isEmpty() ? "#" + channel.id().asLongText() : clientId;
    Channel previous;
    synchronized (byAgent) {
      Map<String, Channel> mine = byAgent.computeIfAbsent(agentId, a -> new LinkedHashMap<>());
      previous = mine.get(key);
      if (previous == null && mine.size() >= maxPerAgent) {
        return Admission.TOO_MANY;
      }
      mine.put(key, channel);
    }
    if (previous == null || previous == channel) {
      return Admission.ADMITTED;
    }
    LOG.info(
        "Agent {} connected again with client id {}; closing its older connection {}",
        agentId,
        clientId,
        previous.remoteAddress());
    try {
      previous
          .eventLoop()
          .execute(
              () -> {
                previous.pipeline().fireUserEventTriggered(SessionTakenOver.INSTANCE);
                previous.close();
              });
    } catch (RejectedExecutionException e) {
      previous.close(); // its loop is stopping: nothing left to tell it
    }
    return Admission.TOOK_OVER;
  }

  void closed(String agentId, String clientId, Channel channel) {
    if (agentId == null || clientId == null) {
      return;
    }
    String key = clientId.isEmpty() ? "#" + channel.id().asLongText() : clientId;
    synchronized (byAgent) {
      Map<String, Channel> mine = byAgent.get(agentId);
      if (mine != null && mine.remove(key, channel) && mine.isEmpty()) {
        byAgent.remove(agentId);
      }
    }
  }

  /** Open authenticated connections of {@code agentId}. */
  public int connectionsOf(String agentId) {
    synchronized (byAgent) {
      Map<String, Channel> mine = byAgent.get(agentId);
      return mine == null ? 0 : mine.size();
    }
  }

  /** The agent's publish-rate bucket, made on first use. */
  TokenBucket rateOf(String agentId, ListenerSettings settings) {
    return rates.computeIfAbsent(
        agentId,
        a ->
            new TokenBucket(
                settings.publishRatePerAgent(),
                settings.publishBurstPerAgent(),
                System.nanoTime()));
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

  /**
   * Closes every connection. Each connection is first told on its own loop ({@link
   * ServerShutdown}): an MQTT 5 client gets DISCONNECT 0x8B (server shutting down) before the
   * close, an MQTT 3.1.1 client just the close; neither connection's will is sent.
   */
  public ChannelGroupFuture closeAll() {
    for (Channel channel : channels) {
      try {
        channel
            .eventLoop()
            .execute(() -> channel.pipeline().fireUserEventTriggered(ServerShutdown.INSTANCE));
      } catch (RejectedExecutionException e) {
        // its loop is stopping: the close below is all that is left
      }
    }
    return channels.close();
  }

  public int size() {
    return channels.size();
  }

  /** Fired on every connection when the collector stops, just before it closes. */
  enum ServerShutdown {
    INSTANCE
  }

  /** Fired on a connection that a newer one of the same client replaced, just before it closes. */
  enum SessionTakenOver {
    INSTANCE
  }
}
