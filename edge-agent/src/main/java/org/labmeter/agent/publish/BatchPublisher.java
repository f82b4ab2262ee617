package org.labmeter.agent.publish;

import java.util.concurrent.CompletableFuture;

/**
 * The agent's view of an MQTT connection: publish with QoS 1 and learn about the PUBACK. It keeps
 * the MQTT library behind a small interface of our own, so the library's threads and quirks stay in
 * one class, and the drain logic can be tested without a broker.
 *
 * <p>Every callback and every future completion happens on the agent's executor, never on a library
 * thread.
 */
public interface BatchPublisher {

  /** Connection events, delivered on the agent's executor. */
  interface Listener {
    /** After each successful connect or reconnect, once the birth message is sent. */
    void connected();

    /** After the connection dropped; the futures of unacknowledged publishes fail right after. */
    void disconnected(Throwable cause);
  }

  /** Begins connecting, and keeps reconnecting until {@link #stop}. */
  void start(Listener listener);

  boolean isConnected();

  /**
   * Publishes with QoS 1, not retained.
   *
   * @return completes at PUBACK; fails when the connection drops first or the client refuses
   */
  CompletableFuture<Void> publish(String topic, byte[] payload);

  /** Says goodbye (retained offline status), disconnects and releases the client. Idempotent. */
  CompletableFuture<Void> stop();
}
