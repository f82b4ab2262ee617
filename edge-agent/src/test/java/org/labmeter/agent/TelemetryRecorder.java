package org.labmeter.agent;

import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/**
 * A plain Paho subscriber on {@code labmeter/v1/#} with a persistent session, standing in for the
 * collector: it records every message it gets, duplicates included.
 */
final class TelemetryRecorder implements AutoCloseable {
  record Received(String topic, byte[] payload, boolean retained, long arrivedMillis) {}

  private final MqttClient client;
  private final ConcurrentLinkedQueue<Received> received = new ConcurrentLinkedQueue<>();

  TelemetryRecorder(String uri, String clientId) throws MqttException {
    client = new MqttClient(uri, clientId, new MemoryPersistence());
    client.setCallback(
        new MqttCallback() {
          @Override
          public void connectionLost(Throwable cause) {}

          @Override
          public void messageArrived(String topic, MqttMessage message) {
            received.add(
                new Received(
                    topic, message.getPayload(), message.isRetained(), System.currentTimeMillis()));
          }

          @Override
          public void deliveryComplete(IMqttDeliveryToken token) {}
        });
  }

  /** Connects (resuming the persistent session) and subscribes; false when the broker is down. */
  boolean connect() {
    try {
      MqttConnectOptions options = new MqttConnectOptions();
      options.setCleanSession(false);
      options.setAutomaticReconnect(false);
      options.setConnectionTimeout(5);
      if (!client.isConnected()) {
        client.connect(options);
      }
      client.subscribe("labmeter/v1/#", 1);
      return true;
    } catch (MqttException e) {
      if (e.getReasonCode() == MqttException.REASON_CODE_CONNECT_IN_PROGRESS) {
        // an attempt made while the broker was restarting can stay "in progress" inside Paho,
        // refusing every later connect; dropping it lets the next poll start afresh
        try {
          client.disconnectForcibly(0, 100);
        } catch (MqttException ignored) {
          // nothing to drop: the next poll tries again either way
        }
      }
      return false;
    }
  }

  boolean isConnected() {
    return client.isConnected();
  }

  List<Received> received() {
    return List.copyOf(received);
  }

  List<Received> telemetry() {
    return received.stream().filter(r -> r.topic().endsWith("/telemetry")).toList();
  }

  List<String> statusPayloads() {
    return received.stream()
        .filter(r -> r.topic().endsWith("/status"))
        .map(r -> new String(r.payload(), java.nio.charset.StandardCharsets.US_ASCII))
        .toList();
  }

  @Override
  public void close() throws MqttException {
    if (client.isConnected()) {
      client.disconnect(1000);
    }
    client.close();
  }
}
