package org.labmeter.agent.publish;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import javax.net.ssl.SSLSocketFactory;
import org.eclipse.paho.client.mqttv3.DisconnectedBufferOptions;
import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.labmeter.agent.config.MqttConfig;
import org.labmeter.agent.config.TlsContextFactory;
import org.labmeter.agent.metrics.AgentMetrics;
import org.labmeter.wire.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link BatchPublisher} on Eclipse Paho's {@link MqttAsyncClient} (MQTT 3.1.1, QoS 1, clean
 * session). The durable outbox is ours: Paho gets memory persistence, no offline buffer and no
 * automatic reconnect, so it never holds a message we think is safe. Reconnects run here with
 * exponential backoff capped at 10 s.
 *
 * <p>Threading: Paho's callback thread only hands events to the agent's executor; all state of this
 * class is touched on that executor alone. Paho's own limit on in-flight messages is the live
 * window plus the backlog window plus two, leaving room for the birth and goodbye status messages
 * beside full windows of batches.
 *
 * <p>For {@code ssl://} brokers the socket factory is built once at start from {@code mqtt.tls} (or
 * the JVM's defaults), and the broker's host name is checked unless turned off.
 */
public final class PahoBatchPublisher implements BatchPublisher {
  private static final Logger log = LoggerFactory.getLogger(PahoBatchPublisher.class);
  private static final long BACKOFF_INITIAL_MILLIS = 250;
  private static final long BACKOFF_MAX_MILLIS = 10_000;
  private static final long ACK_WAIT_MILLIS = 3_000;
  private static final long ACK_POLL_MILLIS = 20;
  private static final long QUIESCE_MILLIS = 1_000;
  private static final int CONNECT_TIMEOUT_SECONDS = 10;

  private final MqttConfig config;
  private final int replayInflight;
  private final String agentId;
  private final long epoch;
  private final ScheduledExecutorService executor;
  private final AgentMetrics metrics;
  private final Clock clock;
  private final ReconnectBackoff backoff;
  private final Set<CompletableFuture<Void>> unacked = new HashSet<>();
  private MqttAsyncClient client;
  private SSLSocketFactory socketFactory;
  private Listener listener;
  private volatile boolean connected;
  private boolean connecting;
  private boolean stopping;
  private boolean closed;
  private ScheduledFuture<?> reconnect;
  private CompletableFuture<Void> stopped;

  /**
   * @param executor the agent's single-threaded executor; every callback runs there
   */
  public PahoBatchPublisher(
      MqttConfig config,
      int replayInflight,
      String agentId,
      long epoch,
      ScheduledExecutorService executor,
      AgentMetrics metrics,
      Clock clock) {
    this.config = config;
    this.replayInflight = replayInflight;
    this.agentId = agentId;
    this.epoch = epoch;
    this.executor = executor;
    this.metrics = metrics;
    this.clock = clock;
    this.backoff =
        new ReconnectBackoff(BACKOFF_INITIAL_MILLIS, BACKOFF_MAX_MILLIS, new SplittableRandom());
  }

  @Override
  public void start(Listener listener) {
    this.listener = listener;
    if (config.tls() != null) {
      socketFactory = TlsContextFactory.socketFactory(config.tls());
    }
    try {
      client = new MqttAsyncClient(config.uri(), agentId, new MemoryPersistence());
    } catch (MqttException e) {
      throw new IllegalArgumentException("cannot create an MQTT client for " + config.uri(), e);
    }
    DisconnectedBufferOptions noBuffer = new DisconnectedBufferOptions();
    noBuffer.setBufferEnabled(false);
    client.setBufferOpts(noBuffer);
    client.setCallback(new Callback());
    connect();
  }

  /** False from the moment {@link #stop} is called: nothing new is sent after that. */
  @Override
  public boolean isConnected() {
    return connected && !stopping;
  }

  @Override
  public CompletableFuture<Void> publish(String topic, byte[] payload) {
    CompletableFuture<Void> acked = new CompletableFuture<>();
    if (!connected || stopping) {
      acked.completeExceptionally(new IllegalStateException("not connected to " + config.uri()));
      return acked;
    }
    try {
      client.publish(topic, payload, 1, false, acked, null);
      unacked.add(acked);
    } catch (MqttException e) {
      acked.completeExceptionally(e);
    }
    return acked;
  }

  @Override
  public CompletableFuture<Void> stop() {
    if (stopped != null) {
      return stopped;
    }
    stopped = new CompletableFuture<>();
    stopping = true;
    if (reconnect != null) {
      reconnect.cancel(false);
    }
    if (client == null) {
      stopped.complete(null);
      return stopped;
    }
    if (connected) {
      sayGoodbyeWhenAcked(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ACK_WAIT_MILLIS));
    } else {
      close(0);
    }
    return stopped;
  }

  /**
   * Waits (without blocking the executor) until every batch sent has its PUBACK or the deadline
   * passes, so that a clean stop leaves nothing in the outbox that the broker already has.
   */
  private void sayGoodbyeWhenAcked(long deadlineNanos) {
    if (connected && !unacked.isEmpty() && System.nanoTime() - deadlineNanos < 0) {
      executor.schedule(
          () -> sayGoodbyeWhenAcked(deadlineNanos), ACK_POLL_MILLIS, TimeUnit.MILLISECONDS);
      return;
    }
    if (!connected) {
      close(0);
      return;
    }
    try {
      MqttMessage bye = new MqttMessage(StatusMessage.offline(epoch, clock.millis()));
      bye.setQos(1);
      bye.setRetained(true);
      client.publish(Topics.status(agentId), bye);
      client.disconnect(QUIESCE_MILLIS, null, onExecutor(t -> close(0), (t, e) -> close(0)));
    } catch (MqttException e) {
      log.warn(
          "agent {}: clean disconnect from {} failed: {}", agentId, config.uri(), e.toString());
      close(0);
    }
  }

  private void connect() {
    if (stopping) {
      return;
    }
    MqttConnectOptions options = new MqttConnectOptions();
    options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
    options.setCleanSession(true);
    options.setAutomaticReconnect(false);
    options.setKeepAliveInterval(config.keepAliveSeconds());
    options.setConnectionTimeout(CONNECT_TIMEOUT_SECONDS);
    options.setMaxInflight(config.maxInflight() + replayInflight + 2);
    if (config.usesTls()) {
      if (socketFactory != null) {
        options.setSocketFactory(socketFactory);
      }
      options.setHttpsHostnameVerificationEnabled(
          config.tls() == null || config.tls().verifyHostname());
    }
    options.setUserName(config.usernameOr(agentId));
    if (config.password() != null) {
      options.setPassword(config.password().toCharArray());
    }
    options.setWill(Topics.status(agentId), StatusMessage.offline(epoch, clock.millis()), 1, true);
    connecting = true;
    try {
      client.connect(options, null, onExecutor(t -> onConnected(), (t, e) -> onConnectFailed(e)));
    } catch (MqttException e) {
      onConnectFailed(e);
    }
  }

  private void onConnected() {
    connecting = false;
    if (stopping) {
      return; // the close loop started by stop() takes it from here
    }
    connected = true;
    backoff.reset();
    metrics.connected();
    log.info("agent {}: connected to {} (epoch {})", agentId, config.uri(), epoch);
    try {
      MqttMessage birth = new MqttMessage(StatusMessage.online(epoch, clock.millis()));
      birth.setQos(1);
      birth.setRetained(true);
      client.publish(Topics.status(agentId), birth);
    } catch (MqttException e) {
      log.warn("agent {}: birth message not sent: {}", agentId, e.toString());
    }
    listener.connected();
  }

  private void onConnectFailed(Throwable cause) {
    connecting = false;
    if (stopping) {
      return;
    }
    scheduleReconnect(cause);
  }

  private void onConnectionLost(Throwable cause) {
    connected = false;
    metrics.connectionLost();
    if (!stopping) {
      listener.disconnected(cause);
    }
    failUnacked(cause);
    if (!stopping) {
      scheduleReconnect(cause);
    }
  }

  private void scheduleReconnect(Throwable cause) {
    long delay = backoff.nextDelayMillis();
    log.warn(
        "agent {}: no connection to {} ({}); retrying in {} ms",
        agentId,
        config.uri(),
        cause == null ? "closed" : cause.toString(),
        delay);
    reconnect = executor.schedule(this::connect, delay, TimeUnit.MILLISECONDS);
  }

  /** Releases Paho's threads; waits out a connect attempt that is still running. */
  private void close(int attempt) {
    if (closed) {
      return;
    }
    connected = false;
    if (connecting && attempt < 100) {
      executor.schedule(() -> close(attempt + 1), 100, TimeUnit.MILLISECONDS);
      return;
    }
    try {
      if (client.isConnected()) {
        client.disconnectForcibly(0, 1_000);
      }
      client.close();
    } catch (MqttException e) {
      log.debug("agent {}: closing the MQTT client: {}", agentId, e.toString());
    }
    closed = true;
    if (listener != null) {
      listener.disconnected(new IllegalStateException("publisher stopped"));
    }
    failUnacked(new IllegalStateException("publisher stopped"));
    log.info("agent {}: disconnected from {}", agentId, config.uri());
    stopped.complete(null);
  }

  private void failUnacked(Throwable cause) {
    List<CompletableFuture<Void>> pending = new ArrayList<>(unacked);
    unacked.clear();
    for (CompletableFuture<Void> f : pending) {
      f.completeExceptionally(cause);
    }
  }

  @SuppressWarnings("unchecked")
  private void onDelivered(IMqttDeliveryToken token) {
    if (token.getUserContext() instanceof CompletableFuture<?> f) {
      unacked.remove(f);
      ((CompletableFuture<Void>) f).complete(null);
    }
  }

  private void runOnExecutor(Runnable task) {
    try {
      executor.execute(task);
    } catch (RejectedExecutionException e) {
      log.debug("agent {}: MQTT event after shutdown ignored", agentId);
    }
  }

  private IMqttActionListener onExecutor(
      Consumer<IMqttToken> success, BiConsumer<IMqttToken, Throwable> failure) {
    return new IMqttActionListener() {
      @Override
      public void onSuccess(IMqttToken token) {
        runOnExecutor(() -> success.accept(token));
      }

      @Override
      public void onFailure(IMqttToken token, Throwable cause) {
        runOnExecutor(() -> failure.accept(token, cause));
      }
    };
  }

  /**
   * Runs on Paho's callback thread: hands everything to the agent's executor, does nothing else.
   */
  private final class Callback implements MqttCallback {
    @Override
    public void connectionLost(Throwable cause) {
      runOnExecutor(() -> onConnectionLost(cause));
    }

    @Override
    public void messageArrived(String topic, MqttMessage message) {
      // The agent subscribes to nothing.
    }

    @Override
    public void deliveryComplete(IMqttDeliveryToken token) {
      runOnExecutor(() -> onDelivered(token));
    }
  }
}
