package org.labmeter.collector.bridge;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.regex.Pattern;
import org.labmeter.collector.config.ConfigException;

/**
 * How a collector takes agents' telemetry from an external broker instead of (or besides) its own
 * listener. Every collector of a fleet joins the same shared-subscription group, so the broker
 * splits the messages among them; each must have a client id of its own that stays the same across
 * restarts, because the broker keeps a collector's unacknowledged messages in that client's session
 * and sends them again when it reconnects.
 *
 * @param brokerUri {@code tcp://host:port} or {@code ssl://host:port}
 * @param clientId this collector's MQTT client id, stable across restarts, unique in the fleet
 * @param shareGroup the shared-subscription group all collectors of the fleet join, or {@code null}
 *     for a single collector that subscribes without sharing: a broker restart then keeps its
 *     subscription (Mosquitto 2.0 restores plain subscriptions of a persistent session from its
 *     persistence file, but not shared ones; see docs/agent-install.md)
 * @param userName the collector's broker account, or {@code null} for an anonymous broker
 * @param password its password, or {@code null}
 * @param keepAlive MQTT keep-alive interval
 * @param maxReconnectDelay upper bound of the reconnect back-off after the broker went away
 */
public record BridgeSettings(
    String brokerUri,
    String clientId,
    String shareGroup,
    String userName,
    String password,
    Duration keepAlive,
    Duration maxReconnectDelay) {

  private static final Pattern CLIENT_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
  private static final Pattern GROUP = Pattern.compile("[A-Za-z0-9._-]{1,64}");

  public static final String DEFAULT_GROUP = "labmeter";
  public static final Duration DEFAULT_KEEP_ALIVE = Duration.ofSeconds(30);
  public static final Duration DEFAULT_MAX_RECONNECT_DELAY = Duration.ofSeconds(10);

  public BridgeSettings {
    checkUri(brokerUri);
    require(
        "bridgeClientId",
        clientId != null && CLIENT_ID.matcher(clientId).matches(),
        "must be 1..64 of A-Z a-z 0-9 . _ -, got '" + clientId + "'");
    require(
        "bridgeGroup",
        shareGroup == null || GROUP.matcher(shareGroup).matches(),
        "must be null (no sharing) or 1..64 of A-Z a-z 0-9 . _ - (no '/', '+' or '#'), got '"
            + shareGroup
            + "'");
    require("bridgePassword", password == null || userName != null, "needs a user name");
    require(
        "bridgeKeepAlive",
        keepAlive != null
            && keepAlive.toSeconds() >= 1
            && keepAlive.compareTo(Duration.ofHours(18)) <= 0,
        "must be between 1s and 18h, got " + keepAlive);
    require(
        "bridgeMaxReconnectDelay",
        maxReconnectDelay != null
            && maxReconnectDelay.toMillis() >= 1000
            && maxReconnectDelay.compareTo(Duration.ofMinutes(10)) <= 0,
        "must be between 1s and 10m, got " + maxReconnectDelay);
  }

  /** With the default group, no credentials and the default timings. */
  public static BridgeSettings of(String brokerUri, String clientId) {
    return new BridgeSettings(
        brokerUri,
        clientId,
        DEFAULT_GROUP,
        null,
        null,
        DEFAULT_KEEP_ALIVE,
        DEFAULT_MAX_RECONNECT_DELAY);
  }

  public BridgeSettings withShareGroup(String group) {
    return new BridgeSettings(
        brokerUri, clientId, group, userName, password, keepAlive, maxReconnectDelay);
  }

  /** {@code $share/<group>/<filter>}, or {@code filter} itself without a group. */
  String shared(String filter) {
    return shareGroup == null ? filter : "$share/" + shareGroup + "/" + filter;
  }

  /** Keeps the password out of logs. */
  @Override
  public String toString() {
    return "BridgeSettings[broker="
        + brokerUri
        + ", clientId="
        + clientId
        + ", group="
        + shareGroup
        + ", user="
        + (userName == null ? "none" : userName)
        + ", password="
        + (password == null ? "none" : "***")
        + "]";
  }

  private static void checkUri(String uri) {
    String allowed = "must be tcp://host:port or ssl://host:port";
    require("bridgeUri", uri != null && !uri.isBlank(), allowed);
    try {
      URI parsed = new URI(uri);
      require(
          "bridgeUri",
          ("tcp".equals(parsed.getScheme()) || "ssl".equals(parsed.getScheme()))
              && parsed.getHost() != null
              && parsed.getPort() > 0,
          allowed + ", got '" + uri + "'");
    } catch (URISyntaxException e) {
      throw new ConfigException("bridgeUri", allowed + ", got '" + uri + "'");
    }
  }

  private static void require(String field, boolean ok, String message) {
    if (!ok) {
      throw new ConfigException(field, message);
    }
  }
}
