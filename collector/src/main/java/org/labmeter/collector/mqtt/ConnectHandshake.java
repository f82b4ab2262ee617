package org.labmeter.collector.mqtt;

import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttProperties.IntegerProperty;
import java.util.Optional;
import java.util.UUID;
import org.labmeter.collector.auth.AuthResult;
import org.labmeter.collector.auth.Authenticator;
import org.labmeter.wire.Ids;
import org.labmeter.wire.Topics;

/**
 * The checks a CONNECT passes on the event loop before its credentials go to an authentication
 * thread, and the CONNACK that accepts it. Pure: it reads the packet, the listener's settings and
 * the client certificate, and touches no channel.
 */
final class ConnectHandshake {
  private ConnectHandshake() {}

  /** A CONNECT that passed the checks on the loop; its credentials are still to be checked. */
  record Request(
      String agentId,
      String clientId,
      boolean clientIdAssigned,
      boolean mqtt5,
      int keepAliveSeconds,
      boolean keepAliveChanged,
      boolean problemInformation,
      long clientMaxPacketBytes,
      byte[] password,
      Optional<ClientCertificate> certificate,
      LastWill will) {

    @Override
    public boolean equals(Object o) {
      return this == o;
    }

    @Override
    public int hashCode() {
      return System.identityHashCode(this);
    }

    /**
     * {@code text} where the client takes reason strings on PUBACK (Request Problem Information not
     * 0, packets of at least 128 bytes), else null.
     */
    String reasonString(String text) {
      return problemInformation && clientMaxPacketBytes >= 128 ? text : null;
    }

    /** Keeps the password out of logs. */
    @Override
    public String toString() {
      return "Request[agent=" + agentId + ", client=" + clientId + ", mqtt5=" + mqtt5 + "]";
    }

    /**
     * Blocking (directory lookup, PBKDF2): runs on an authentication thread. A certificate that
     * names the agent stands in for the password where the settings allow it.
     */
    AuthResult authenticate(Authenticator authenticator, TlsSettings tls) {
      boolean noPassword = password == null || password.length == 0;
      if (noPassword
          && certificate.isPresent()
          && tls != null
          && tls.certificateReplacesPassword()) {
        return authenticator.authenticateByCertificate(agentId);
      }
      return authenticator.authenticate(agentId, password);
    }
  }

  sealed interface Outcome {}

  record Proceed(Request request) implements Outcome {}

  record Refuse(ConnectRefusal why, boolean mqtt5, String detail) implements Outcome {}

  static Outcome check(
      MqttConnectMessage connect,
      ListenerSettings settings,
      Optional<ClientCertificate> certificate) {
    int level = connect.variableHeader().version();
    boolean mqtt5 = level == 5;
    String agentId = connect.payload().userName();
    if (level != 4 && level != 5) {
      return new Refuse(
          ConnectRefusal.PROTOCOL_VERSION,
          false,
          "MQTT protocol level " + level + " (3.1.1, level 4, and 5 are served)");
    }
    MqttProperties properties = connect.variableHeader().properties();
    if (mqtt5 && properties.getProperty(MqttProperties.AUTHENTICATION_METHOD) != null) {
      return new Refuse(ConnectRefusal.AUTH_METHOD, true, "enhanced authentication is not served");
    }
    if (connect.variableHeader().isWillFlag()) {
      if (!(Ids.isValid(agentId) && Topics.status(agentId).equals(connect.payload().willTopic()))) {
        return new Refuse(
            ConnectRefusal.WILL_TOPIC,
            mqtt5,
            "will topic " + connect.payload().willTopic() + " is not the agent's status topic");
      }
      if (mqtt5 && connect.variableHeader().willQos() > 1) {
        return new Refuse(ConnectRefusal.WILL_QOS, true, "will with QoS 2 (at most 1 is served)");
      }
    }
    String clientId = connect.payload().clientIdentifier();
    boolean assigned = false;
    if (clientId.isEmpty()) {
      if (mqtt5) {
        clientId = agentId + "-" + UUID.randomUUID();
        assigned = true;
      } else if (!connect.variableHeader().isCleanSession()) {
        return new Refuse(ConnectRefusal.CLIENT_ID, false, "empty client id without clean session");
      }
    }
    if (certificate.isPresent() && !certificate.get().names(agentId)) {
      return new Refuse(
          ConnectRefusal.CERTIFICATE_MISMATCH,
          mqtt5,
          "client certificate " + certificate.get().subject() + " does not name agent " + agentId);
    }
    int asked = connect.variableHeader().keepAliveTimeSeconds();
    int keepAlive = boundedKeepAlive(asked, settings);
    if (keepAlive != asked && !mqtt5) {
      return new Refuse(
          ConnectRefusal.KEEP_ALIVE,
          false,
          "keep-alive of "
              + asked
              + " s is outside mqtt.minKeepAlive .. mqtt.maxKeepAlive ("
              + settings.minKeepAlive()
              + " .. "
              + settings.maxKeepAlive()
              + ", 0s meaning no bound)");
    }
    return new Proceed(
        new Request(
            agentId,
            clientId,
            assigned,
            mqtt5,
            keepAlive,
            keepAlive != asked,
            !mqtt5 || intProperty(properties, MqttProperties.REQUEST_PROBLEM_INFORMATION, 1) != 0,
            Integer.toUnsignedLong(intProperty(properties, MqttProperties.MAXIMUM_PACKET_SIZE, -1)),
            connect.payload().passwordInBytes(),
            certificate,
            LastWill.of(connect)));
  }

  /** The keep-alive to use: the client's, or the bound it is beyond (0 = none = beyond any max). */
  static int boundedKeepAlive(int asked, ListenerSettings settings) {
    int min = settings.minKeepAliveSeconds();
    int max = settings.maxKeepAliveSeconds();
    if (max > 0 && (asked == 0 || asked > max)) {
      return max;
    }
    if (asked != 0 && asked < min) {
      return min;
    }
    return asked;
  }

  /**
   * The CONNACK that accepts {@code request}. For MQTT 5 it states the listener's terms: no session
   * is kept (Session Expiry Interval 0, whatever the client asked), at most {@code receiveMaximum}
   * QoS 1 publishes in flight, QoS 1 at most, no topic aliases, no subscriptions, packets up to
   * {@code maxPacketBytes}, and the keep-alive where it differs from the client's.
   */
  static MqttMessage accepted(Request request, ListenerSettings settings, int maxPacketBytes) {
    if (!request.mqtt5()) {
      return MqttReplies.connAck(MqttConnectReturnCode.CONNECTION_ACCEPTED);
    }
    MqttMessageBuilders.ConnAckPropertiesBuilder p =
        new MqttMessageBuilders.ConnAckPropertiesBuilder()
            .sessionExpiryInterval(0)
            .receiveMaximum(settings.receiveMaximum())
            .maximumQos((byte) 1)
            .retainAvailable(true)
            .maximumPacketSize(maxPacketBytes)
            .topicAliasMaximum(0)
            .wildcardSubscriptionAvailable(false)
            .subscriptionIdentifiersAvailable(false)
            .sharedSubscriptionAvailable(false);
    if (request.keepAliveChanged()) {
      p.serverKeepAlive(request.keepAliveSeconds());
    }
    if (request.clientIdAssigned()) {
      p.assignedClientId(request.clientId());
    }
    return MqttReplies.connAck(MqttConnectReturnCode.CONNECTION_ACCEPTED, p.build());
  }

  /** The CONNACK that refuses; MQTT 5 gets the detail as its reason string. */
  static MqttMessage refused(ConnectRefusal why, boolean mqtt5, String detail) {
    if (!mqtt5) {
      return MqttReplies.connAck(why.code(false));
    }
    return MqttReplies.connAck(
        why.code(true),
        new MqttMessageBuilders.ConnAckPropertiesBuilder().reasonString(detail).build());
  }

  private static int intProperty(MqttProperties properties, int id, int absent) {
    MqttProperties.MqttProperty<?> property = properties.getProperty(id);
    return property instanceof IntegerProperty i ? i.value() : absent;
  }
}
