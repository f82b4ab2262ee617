package org.labmeter.collector.bridge;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallbackExtended;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.labmeter.collector.auth.AgentDirectory;
import org.labmeter.collector.ingest.PublishSink;
import org.labmeter.collector.ingest.ShardDispatcher;
import org.labmeter.collector.metrics.CollectorMetrics;
import org.labmeter.wire.Topics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes agents' telemetry and status from an external broker through a shared subscription, so that
 * N collectors split one fleet. Acknowledgements are manual: a message is acknowledged only after
 * its batch was durably taken (store write, or spool fsync) or refused for good; a message whose
 * write failed stays unacknowledged and the bridge reconnects, so that the broker sends it again.
 * The session is persistent under a stable client id: the messages a killed collector had not
 * acknowledged wait in its session and come back when it (or its replacement with the same id)
 * connects.
 *
 * <p>Threads: Paho's callback thread only hands each message to the agent's worker (never blocks,
 * never works); the worker verifies, writes and acknowledges; {@code collector-bridge-reconnect}
 * performs the reconnects that ask for redelivery. See docs/collector-threading.md.
 */
public final class MqttBridge implements MqttCallbackExtended {
  private static final Logger LOG = LoggerFactory.getLogger(MqttBridge.class);
  private static final long TIMEOUT_MILLIS = 10_000;
  private static final long REDELIVERY_DELAY_MILLIS = 500;

  private final BridgeSettings settings;
  private final AgentDirectory directory;
  private final PublishSink sink;
  private final ShardDispatcher workers;
  private final CollectorMetrics metrics;
  private final MqttAsyncClient client;
  private final MqttConnectOptions options;
  private final ScheduledExecutorService reconnector;
  private final CompletableFuture<Void> firstSubscription = new CompletableFuture<>();
  private final AtomicLong generation = new AtomicLong();
  private final AtomicBoolean redeliveryPending = new AtomicBoolean();
  private final AtomicBoolean started = new AtomicBoolean();
  private final AtomicBoolean stopped = new AtomicBoolean();
  private final Counter received;
  private final Counter acknowledged;
  private final Counter withheld;
  private final Counter redeliveries;
  private volatile boolean accepting = true;
  private volatile boolean subscribed;

  /**
   * @param directory where the topics' agents are looked up (on the workers; may block)
   * @param sink the same verification and store path as the listener's
   * @param workers the collector's workers; each agent's messages run on its worker, in order
   */
  public MqttBridge(
      BridgeSettings settings,
      AgentDirectory directory,
      PublishSink sink,
      ShardDispatcher workers,
      CollectorMetrics metrics,
      MeterRegistry registry) {
    this.settings = settings;
    this.directory = directory;
    this.sink = sink;
    this.workers = workers;
    this.metrics = metrics;
    try {
      this.client =
          new MqttAsyncClient(settings.brokerUri(), settings.clientId(), new MemoryPersistence());
    } catch (MqttException e) {
      throw new IllegalArgumentException("bridge: cannot create the MQTT client: " + e, e);
    }
    client.setManualAcks(true);
    client.setCallback(this); // with shared subscriptions only the global callback fires
    options = new MqttConnectOptions();
    options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
    options.setCleanSession(false);
    options.setAutomaticReconnect(true);
    options.setMaxReconnectDelay((int) settings.maxReconnectDelay().toMillis());
    options.setKeepAliveInterval((int) settings.keepAlive().toSeconds());
    options.setConnectionTimeout(10);
    if (settings.userName() != null) {
      options.setUserName(settings.userName());
    }
    if (settings.password() != null) {
      options.setPassword(settings.password().toCharArray());
    }
    reconnector =
        Executors.newSingleThreadScheduledExecutor(
            new DefaultThreadFactory("collector-bridge-reconnect", true));
    received = registry.counter("collector.bridge.received");
    acknowledged = registry.counter("collector.bridge.acknowledged");
    withheld = registry.counter("collector.bridge.withheld");
    redeliveries = registry.counter("collector.bridge.redelivery.reconnects");
    Gauge.builder("collector.bridge.connected", client, c -> c.isConnected() ? 1 : 0)
        .description("1 while the bridge is connected to its broker")
        .register(registry);
  }

  /**
   * Connects and subscribes; completes once the broker granted the shared subscriptions. Fails when
   * the broker cannot be reached or refuses the subscription.
   */
  public CompletableFuture<Void> start() {
    if (!started.compareAndSet(false, true)) {
      return CompletableFuture.failedFuture(new IllegalStateException("already started"));
    }
    try {
      client.connect(
          options,
          null,
          new IMqttActionListener() {
            @Override
            public void onSuccess(IMqttToken token) {}

            @Override
            public void onFailure(IMqttToken token, Throwable e) {
              firstSubscription.completeExceptionally(
                  new IllegalStateException(
                      "bridge: cannot connect to " + settings.brokerUri() + ": " + e, e));
            }
          });
    } catch (MqttException e) {
      firstSubscription.completeExceptionally(e);
    }
    return firstSubscription;
  }

  /** Paho's callback thread: after every (re)connect, subscribe again (idempotent). */
  @Override
  public void connectComplete(boolean reconnect, String serverUri) {
    LOG.info(
        "Bridge {} connected to {}{}; subscribing to group {}",
        settings.clientId(),
        serverUri,
        reconnect ? " again" : "",
        settings.shareGroup());
    String[] filters = {
      settings.shared(Topics.allTelemetry()), settings.shared(Topics.allStatus())
    };
    try {
      client.subscribe(
          filters,
          new int[] {1, 1},
          null,
          new IMqttActionListener() {
            @Override
            public void onSuccess(IMqttToken token) {
              for (int granted : token.getGrantedQos()) {
                if (granted == 0x80) {
                  onFailure(token, new IllegalStateException("the broker refused " + filters[0]));
                  return;
                }
              }
              subscribed = true;
              firstSubscription.complete(null);
            }

            @Override
            public void onFailure(IMqttToken token, Throwable e) {
              LOG.error("Bridge {}: subscribing failed: {}", settings.clientId(), e.toString());
              firstSubscription.completeExceptionally(e);
            }
          });
    } catch (MqttException e) {
      LOG.error("Bridge {}: subscribing failed: {}", settings.clientId(), e.toString());
      firstSubscription.completeExceptionally(e);
    }
  }

  @Override
  public void connectionLost(Throwable cause) {
    generation.incrementAndGet();
    LOG.warn(
        "Bridge {} lost its broker {}: {}; reconnecting, unacknowledged messages come again",
        settings.clientId(),
        settings.brokerUri(),
        String.valueOf(cause));
  }

  /** Paho's callback thread: hand over and return; a message not handed over is not acked. */
  @Override
  public void messageArrived(String topic, MqttMessage message) {
    if (!accepting) {
      return; // stays in the session, sent again on the next connect
    }
    received.increment();
    BridgeWork work =
        new BridgeWork(
            this,
            topic,
            message.getPayload(),
            message.getId(),
            message.getQos(),
            generation.get(),
            System.currentTimeMillis());
    if (workers.submit(BridgeWork.agentOf(topic), work, () -> {})
        == ShardDispatcher.Admission.REFUSED) {
      metrics.rejected("overload");
      LOG.warn("Bridged message on topic {} refused: workers full or stopping", topic);
      complete(work, BridgeWork.Ack.WITHHOLD);
    }
  }

  @Override
  public void deliveryComplete(IMqttDeliveryToken token) {}

  /** On the worker thread: acknowledge, or leave the message for the broker to send again. */
  void complete(BridgeWork work, BridgeWork.Ack ack) {
    if (ack == BridgeWork.Ack.WITHHOLD) {
      withheld.increment();
      requestRedelivery();
      return;
    }
    if (work.qos == 0) {
      return;
    }
    if (work.generation != generation.get()) {
      // taken on a connection that has ended: the broker sends it again (then a duplicate)
      return;
    }
    try {
      client.messageArrivedComplete(work.messageId, work.qos);
      acknowledged.increment();
    } catch (MqttException | RuntimeException e) {
      LOG.warn(
          "Bridge {}: acknowledging message {} on topic {} failed: {}; the broker sends it again",
          settings.clientId(),
          work.messageId,
          work.topic,
          e.toString());
    }
  }

  /** Unacknowledged messages only come again on a new connection: make one, once at a time. */
  private void requestRedelivery() {
    if (stopped.get() || !accepting || !redeliveryPending.compareAndSet(false, true)) {
      return;
    }
    redeliveries.increment();
    reconnector.schedule(this::reconnect, REDELIVERY_DELAY_MILLIS, TimeUnit.MILLISECONDS);
  }

  private void reconnect() {
    if (stopped.get()) {
      return;
    }
    try {
      generation.incrementAndGet();
      if (client.isConnected()) {
        client.disconnect(0).waitForCompletion(TIMEOUT_MILLIS);
      }
      client.connect(options).waitForCompletion(TIMEOUT_MILLIS);
      LOG.info("Bridge {} reconnected so that withheld messages come again", settings.clientId());
      redeliveryPending.set(false);
    } catch (MqttException e) {
      if (e.getReasonCode() == MqttException.REASON_CODE_CLIENT_CONNECTED) {
        redeliveryPending.set(false);
        return;
      }
      LOG.warn(
          "Bridge {}: reconnecting for redelivery failed: {}; trying again in {}",
          settings.clientId(),
          e.toString(),
          settings.maxReconnectDelay());
      reconnector.schedule(
          this::reconnect, settings.maxReconnectDelay().toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  AgentDirectory directory() {
    return directory;
  }

  PublishSink sink() {
    return sink;
  }

  CollectorMetrics metrics() {
    return metrics;
  }

  public BridgeSettings settings() {
    return settings;
  }

  /** Connected and subscribed. */
  public boolean connected() {
    return subscribed && client.isConnected();
  }

  /**
   * Takes no new messages (they stay in the broker session); work already handed to the workers
   * still completes and is acknowledged. First step of a shutdown.
   */
  public void stopAccepting() {
    accepting = false;
  }

  /**
   * Drops the broker connection as a crash would: no DISCONNECT, nothing acknowledged from now on.
   * What this collector had not acknowledged waits in its session on the broker. For failover
   * drills; {@link #stop()} still has to be called.
   */
  public void dropConnection() {
    accepting = false;
    generation.incrementAndGet();
    try {
      client.disconnectForcibly(0, 1000, false);
    } catch (MqttException e) {
      LOG.debug("Bridge {}: dropping the connection: {}", settings.clientId(), e.toString());
    }
  }

  /** Disconnects cleanly and releases the client and its threads. Idempotent. */
  public void stop() {
    if (!stopped.compareAndSet(false, true)) {
      return;
    }
    accepting = false;
    reconnector.shutdownNow();
    try {
      if (client.isConnected()) {
        client.disconnect(0).waitForCompletion(TIMEOUT_MILLIS);
      }
    } catch (MqttException e) {
      LOG.debug("Bridge {}: disconnecting: {}", settings.clientId(), e.toString());
    }
    try {
      client.close(true);
    } catch (MqttException e) {
      LOG.debug("Bridge {}: closing: {}", settings.clientId(), e.toString());
    }
    firstSubscription.completeExceptionally(new IllegalStateException("stopped"));
    LOG.info("Bridge {} stopped", settings.clientId());
  }
}
