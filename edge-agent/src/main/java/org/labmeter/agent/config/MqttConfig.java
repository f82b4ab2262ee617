package org.labmeter.agent.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Set;

/**
 * The {@code mqtt} section.
 *
 * @param uri {@code tcp://host:port}, or {@code ssl://host:port} for TLS with the JVM's trust store
 * @param username MQTT user name; {@code null} means the agent id
 * @param password MQTT password, or {@code null} for none
 * @param keepAliveSeconds MQTT keep-alive; a dead connection is noticed after about 1.5 times this
 * @param maxInflight the most live batches sent and not yet acknowledged at any time (the backlog
 *     has its own window, see {@link ReplayConfig})
 * @param tls certificates and host name check for an {@code ssl://} broker; {@code null} for the
 *     JVM's trust store and host name verification
 */
public record MqttConfig(
    String uri,
    String username,
    String password,
    int keepAliveSeconds,
    int maxInflight,
    TlsConfig tls) {
  public static final int DEFAULT_KEEP_ALIVE_SECONDS = 30;
  public static final int DEFAULT_MAX_INFLIGHT = 32;
  private static final Set<String> SCHEMES = Set.of("tcp", "ssl");

  public MqttConfig {
    if (uri == null || uri.isBlank()) {
      throw new InvalidConfigException(
          "uri", "missing; required, e.g. tcp://127.0.0.1:1883 (allowed schemes: tcp, ssl)");
    }
    try {
      URI parsed = new URI(uri);
      if (parsed.getScheme() == null
          || !SCHEMES.contains(parsed.getScheme())
          || parsed.getHost() == null) {
        throw new URISyntaxException(uri, "needs scheme and host");
      }
      if (parsed.getPort() < 0) {
        throw new URISyntaxException(uri, "needs a port");
      }
    } catch (URISyntaxException e) {
      throw new InvalidConfigException(
          "uri",
          "'" + uri + "' is not a broker address; allowed: tcp://host:port or ssl://host:port");
    }
    if (username != null && username.isEmpty()) {
      throw new InvalidConfigException("username", "is empty; omit it to use the agent id");
    }
    InvalidConfigException.requireRange("keepAliveSeconds", keepAliveSeconds, 5, 3600);
    InvalidConfigException.requireRange("maxInflight", maxInflight, 1, 1000);
    if (tls != null && !uri.startsWith("ssl:")) {
      throw new InvalidConfigException(
          "tls", "is set but uri '" + uri + "' is not ssl://; allowed: tls only with ssl://");
    }
  }

  public MqttConfig(
      String uri, String username, String password, int keepAliveSeconds, int maxInflight) {
    this(uri, username, password, keepAliveSeconds, maxInflight, null);
  }

  /** True for {@code ssl://} brokers. */
  public boolean usesTls() {
    return uri.startsWith("ssl:");
  }

  public MqttConfig withTls(TlsConfig tls) {
    return new MqttConfig(uri, username, password, keepAliveSeconds, maxInflight, tls);
  }

  /** A broker without credentials, default keep-alive and in-flight window. */
  public static MqttConfig of(String uri) {
    return new MqttConfig(uri, null, null, DEFAULT_KEEP_ALIVE_SECONDS, DEFAULT_MAX_INFLIGHT);
  }

  public MqttConfig withCredentials(String username, String password) {
    return new MqttConfig(uri, username, password, keepAliveSeconds, maxInflight, tls);
  }

  public MqttConfig withMaxInflight(int maxInflight) {
    return new MqttConfig(uri, username, password, keepAliveSeconds, maxInflight, tls);
  }

  /** The user name to log in with: the configured one, or the agent id. */
  public String usernameOr(String agentId) {
    return username != null ? username : agentId;
  }

  @Override
  public String toString() {
    return "MqttConfig[uri="
        + uri
        + ", username="
        + username
        + ", password="
        + (password == null ? "none" : "***")
        + ", keepAliveSeconds="
        + keepAliveSeconds
        + ", maxInflight="
        + maxInflight
        + ", tls="
        + tls
        + "]";
  }
}
