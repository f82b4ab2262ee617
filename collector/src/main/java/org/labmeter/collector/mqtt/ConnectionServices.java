package org.labmeter.collector.mqtt;

import java.util.Objects;
import java.util.concurrent.Executor;
import org.labmeter.collector.auth.Authenticator;
import org.labmeter.collector.ingest.PublishSink;
import org.labmeter.collector.ingest.ShardDispatcher;
import org.labmeter.collector.metrics.CollectorMetrics;

/**
 * What every connection handler shares. The executors are part of it so that nothing blocking ever
 * runs on the event loop: credential checks go to {@code authExecutor}, batches to {@code workers}.
 *
 * @param authExecutor bounded; a rejected submission refuses the CONNECT as "server unavailable"
 * @param listener limits per connection and per agent, and the TLS settings (client certificates)
 */
public record ConnectionServices(
    Authenticator authenticator,
    Executor authExecutor,
    ShardDispatcher workers,
    PublishSink sink,
    SessionRegistry sessions,
    CollectorMetrics metrics,
    ListenerSettings listener) {

  public ConnectionServices {
    Objects.requireNonNull(authenticator, "authenticator");
    Objects.requireNonNull(authExecutor, "authExecutor");
    Objects.requireNonNull(workers, "workers");
    Objects.requireNonNull(sink, "sink");
    Objects.requireNonNull(sessions, "sessions");
    Objects.requireNonNull(metrics, "metrics");
    Objects.requireNonNull(listener, "listener");
  }

  /** With the default limits and no TLS. */
  public ConnectionServices(
      Authenticator authenticator,
      Executor authExecutor,
      ShardDispatcher workers,
      PublishSink sink,
      SessionRegistry sessions,
      CollectorMetrics metrics) {
    this(authenticator, authExecutor, workers, sink, sessions, metrics, ListenerSettings.DEFAULT);
  }
}
