package org.labmeter.collector.mqtt;

import java.time.Duration;
import org.labmeter.collector.config.ConfigException;

/**
 * The listener's limits per connection and per agent, and its TLS.
 *
 * @param minKeepAlive shortest keep-alive a client may ask for; 0s: no lower bound
 * @param maxKeepAlive longest keep-alive a client may ask for, where "no keep-alive" (0) counts as
 *     longer than any; 0s: no upper bound. MQTT 5 clients outside the bounds are told the nearest
 *     bound (Server Keep Alive), MQTT 3.1.1 clients are refused
 * @param maxConnectionsPerAgent open connections one agent may hold under different client ids; a
 *     connection with a client id already in use always takes the old one over
 * @param publishRatePerAgent PUBLISH packets per second one agent may send, over all its
 *     connections; 0: no limit. Beyond it the agent's connection stops being read for a while
 * @param publishBurstPerAgent how many publishes an agent may send at once above the rate
 * @param receiveMaximum QoS 1 publishes an MQTT 5 client may have unacknowledged at once
 * @param tls TLS for the listener, or {@code null} for plain TCP
 */
public record ListenerSettings(
    Duration minKeepAlive,
    Duration maxKeepAlive,
    int maxConnectionsPerAgent,
    double publishRatePerAgent,
    int publishBurstPerAgent,
    int receiveMaximum,
    TlsSettings tls) {

  /** MQTT's keep-alive is a two-byte number of seconds. */
  public static final int MAX_KEEP_ALIVE_SECONDS = 65_535;

  public static final ListenerSettings DEFAULT =
      new ListenerSettings(Duration.ZERO, Duration.ZERO, 4, 0, 100, 64, null);

  public ListenerSettings {
    keepAlive("minKeepAlive", minKeepAlive);
    keepAlive("maxKeepAlive", maxKeepAlive);
    require(
        "maxKeepAlive",
        maxKeepAlive.isZero() || maxKeepAlive.compareTo(minKeepAlive) >= 0,
        "must be 0s (no bound) or at least mqtt.minKeepAlive ("
            + minKeepAlive
            + "), got "
            + maxKeepAlive);
    require(
        "maxConnectionsPerAgent",
        maxConnectionsPerAgent >= 1 && maxConnectionsPerAgent <= 1000,
        "must be 1..1000, got " + maxConnectionsPerAgent);
    require(
        "publishRatePerAgent",
        publishRatePerAgent >= 0
            && publishRatePerAgent <= 1_000_000
            && !Double.isNaN(publishRatePerAgent),
        "must be 0 (no limit) .. 1000000 publishes per second, got " + publishRatePerAgent);
    require(
        "publishBurstPerAgent",
        publishBurstPerAgent >= 1 && publishBurstPerAgent <= 1_000_000,
        "must be 1..1000000, got " + publishBurstPerAgent);
    require(
        "receiveMaximum",
        receiveMaximum >= 1 && receiveMaximum <= 65_535,
        "must be 1..65535, got " + receiveMaximum);
  }

  int minKeepAliveSeconds() {
    return (int) minKeepAlive.toSeconds();
  }

  int maxKeepAliveSeconds() {
    return (int) maxKeepAlive.toSeconds();
  }

  public ListenerSettings withTls(TlsSettings value) {
    return new ListenerSettings(
        minKeepAlive,
        maxKeepAlive,
        maxConnectionsPerAgent,
        publishRatePerAgent,
        publishBurstPerAgent,
        receiveMaximum,
        value);
  }

  private static void keepAlive(String field, Duration value) {
    require(
        field,
        value != null
            && !value.isNegative()
            && value.toSeconds() <= MAX_KEEP_ALIVE_SECONDS
            && value.toMillis() % 1000 == 0,
        "must be whole seconds between 0s and " + MAX_KEEP_ALIVE_SECONDS + "s, got " + value);
  }

  private static void require(String field, boolean ok, String message) {
    if (!ok) {
      throw new ConfigException(field, message);
    }
  }
}
