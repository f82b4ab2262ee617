package org.labmeter.collector.mqtt;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.SSLContext;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

/** A Paho MQTT 5 client for the tests, noting the server's DISCONNECT. */
final class Paho5 implements AutoCloseable {
  final MqttAsyncClient client;
  final CompletableFuture<MqttDisconnectResponse> disconnected = new CompletableFuture<>();
  IMqttToken connected;

  Paho5(String uri, String clientId) throws MqttException {
    client = new MqttAsyncClient(uri, clientId, new MemoryPersistence());
    client.setCallback(
        new MqttCallback() {
          @Override
          public void disconnected(MqttDisconnectResponse response) {
            disconnected.complete(response);
          }

          @Override
          public void mqttErrorOccurred(MqttException exception) {}

          @Override
          public void messageArrived(String topic, MqttMessage message) {}

          @Override
          public void deliveryComplete(IMqttToken token) {}

          @Override
          public void connectComplete(boolean reconnect, String serverUri) {}

          @Override
          public void authPacketArrived(int reasonCode, MqttProperties properties) {}
        });
  }

  static MqttConnectionOptions options(String user, String password, SSLContext tls) {
    MqttConnectionOptions options = new MqttConnectionOptions();
    options.setCleanStart(true);
    options.setAutomaticReconnect(false);
    options.setConnectionTimeout(10);
    options.setKeepAliveInterval(30);
    if (user != null) {
      options.setUserName(user);
    }
    if (password != null) {
      options.setPassword(password.getBytes(StandardCharsets.UTF_8));
    }
    if (tls != null) {
      options.setSocketFactory(tls.getSocketFactory());
    }
    return options;
  }

  /** Connects; throws with the CONNACK reason code when refused. */
  Paho5 connect(MqttConnectionOptions options) throws MqttException {
    connected = client.connect(options);
    connected.waitForCompletion(10_000);
    return this;
  }

  MqttProperties connAck() {
    return connected.getResponseProperties();
  }

  /** Publishes at QoS 1 and waits for the PUBACK; returns its token. */
  IMqttToken publish(String topic, String body) throws MqttException {
    IMqttToken token = client.publish(topic, body.getBytes(StandardCharsets.UTF_8), 1, false);
    token.waitForCompletion(10_000);
    return token;
  }

  @Override
  public void close() throws MqttException {
    if (client.isConnected()) {
      client.disconnect().waitForCompletion(5_000);
    }
    client.close(true);
  }
}
