package org.labmeter.collector.mqtt;

import io.netty.channel.Channel;
import java.util.EnumSet;
import java.util.Set;

/**
 * Why reading from one connection is paused. Several reasons can hold at once (a full worker queue
 * and an agent over its publish rate); reading resumes only when the last one is lifted. Used on
 * the channel's event loop only.
 */
final class ReadGate {
  enum Reason {
    /** CONNECT is being checked; packets that follow wait. */
    AUTHENTICATING,
    /** The agent's worker queue is at its mark. */
    WORKERS,
    /** The agent is over its publish rate. */
    RATE,
    /** Publishes wait in the connection for room in the agent's worker queue. */
    HELD,
  }

  private final Channel channel;
  private final Set<Reason> held = EnumSet.noneOf(Reason.class);
  private final SessionRegistry sessions;

  ReadGate(Channel channel, SessionRegistry sessions) {
    this.channel = channel;
    this.sessions = sessions;
  }

  /** Returns true when this reason was not already holding. */
  boolean pause(Reason reason) {
    boolean added = held.add(reason);
    channel.config().setAutoRead(false);
    return added;
  }

  void resume(Reason reason) {
    held.remove(reason);
    if (held.isEmpty() && !sessions.draining() && channel.isActive()) {
      channel.config().setAutoRead(true);
    }
  }

  boolean holds(Reason reason) {
    return held.contains(reason);
  }
}
