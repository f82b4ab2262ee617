package org.labmeter.collector.config;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Consumer;
import org.labmeter.collector.bridge.BridgeSettings;
import org.labmeter.collector.ingest.GroupCommitLimits;
import org.labmeter.collector.mqtt.ListenerSettings;
import org.labmeter.collector.spool.SpoolSettings;
import org.labmeter.wire.BatchCodec;

/**
 * Everything the collector needs to start, checked once at build time so that a wrong value stops
 * the daemon with a message naming the field instead of failing later under load.
 *
 * @param mqttHost address the MQTT listener binds to
 * @param mqttPort MQTT port; 0 picks a free port (see {@code Collector.mqttPort()})
 * @param maxPacketBytes largest MQTT packet accepted; at least {@link #MIN_PACKET_BYTES} so that
 *     the largest v1 envelope fits with its topic
 * @param connectTimeout how long a new connection may take to send CONNECT
 * @param ioThreads Netty event-loop threads
 * @param workerShards single-thread workers that verify and write; an agent always maps to the same
 *     one, which keeps its batches in order
 * @param shardQueueCapacity queued publishes per worker before reading from the sending connections
 *     pauses
 * @param authThreads threads that look up agents and check credentials
 * @param futureSkew how far in the future a device timestamp may be before the batch is refused
 * @param lateAfter batches whose newest sample is older than this are counted as late
 * @param quarantineSize rejected payloads kept in memory for inspection
 * @param storeKind the time-series store behind {@code storeUrl}
 * @param storeUrl base URL of the store's HTTP API, e.g. {@code http://127.0.0.1:9000}
 * @param storeToken API token, or {@code null} where the store needs none (QuestDB ignores it)
 * @param storeOrg InfluxDB organisation (ignored by QuestDB)
 * @param storeBucket InfluxDB bucket (ignored by QuestDB)
 * @param storeTimeout read and write timeout of one store request
 * @param spool the disk spool that takes batches while the store is down, or {@code null} for none
 *     (a failed store write is then not acknowledged and the agents resend)
 * @param bridge the external broker to take telemetry from through a shared subscription, besides
 *     the listener, or {@code null} for none
 * @param listener the MQTT listener's limits (keep-alive bounds, connections and publish rate per
 *     agent, MQTT 5 receive maximum) and its TLS
 * @param chains chain windows kept in memory and the chain sweeper
 */
public record CollectorConfig(
    String mqttHost,
    int mqttPort,
    int maxPacketBytes,
    Duration connectTimeout,
    int ioThreads,
    int workerShards,
    int shardQueueCapacity,
    int authThreads,
    GroupCommitLimits groupCommit,
    Duration futureSkew,
    Duration lateAfter,
    int quarantineSize,
    StoreKind storeKind,
    String storeUrl,
    String storeToken,
    String storeOrg,
    String storeBucket,
    Duration storeTimeout,
    SpoolSettings spool,
    BridgeSettings bridge,
    ListenerSettings listener,
    ChainSettings chains) {

  /** Longest telemetry topic: "labmeter/v1/" + 64 + "/" + 64 + "/telemetry". */
  public static final int MAX_TOPIC_BYTES = 12 + 64 + 1 + 64 + 10;

  /** Envelope plus topic (with its length prefix) plus packet id. */
  public static final int MIN_PACKET_BYTES = BatchCodec.MAX_ENVELOPE_SIZE + 2 + MAX_TOPIC_BYTES + 2;

  /** MQTT's own limit on the remaining length of a packet. */
  public static final int MAX_MQTT_PACKET_BYTES = 268_435_455;

  public static final int DEFAULT_MAX_PACKET_BYTES = BatchCodec.MAX_ENVELOPE_SIZE + 1024;

  public CollectorConfig {
    require("mqttHost", mqttHost != null && !mqttHost.isBlank(), "must not be blank");
    range("mqttPort", mqttPort, 0, 65_535);
    range("maxPacketBytes", maxPacketBytes, MIN_PACKET_BYTES, MAX_MQTT_PACKET_BYTES);
    positive("connectTimeout", connectTimeout, Duration.ofMinutes(10));
    range("ioThreads", ioThreads, 1, 256);
    range("workerShards", workerShards, 1, 256);
    range("shardQueueCapacity", shardQueueCapacity, 1, 1_000_000);
    range("authThreads", authThreads, 1, 64);
    require("groupCommit", groupCommit != null, "must be set");
    require("futureSkew", futureSkew != null, "must be set");
    require(
        "futureSkew",
        !futureSkew.isNegative() && futureSkew.compareTo(Duration.ofDays(1)) <= 0,
        "must be between 0s and 1d, got " + futureSkew);
    positive("lateAfter", lateAfter, Duration.ofDays(3650));
    range("quarantineSize", quarantineSize, 0, 100_000);
    require("storeKind", storeKind != null, "must be one of QUESTDB, INFLUXDB");
    checkUrl(storeUrl);
    require("storeOrg", storeOrg != null && !storeOrg.isBlank(), "must not be blank");
    require("storeBucket", storeBucket != null && !storeBucket.isBlank(), "must not be blank");
    positive("storeTimeout", storeTimeout, Duration.ofMinutes(10));
    require("listener", listener != null, "must be set");
    require("chains", chains != null, "must be set");
    if (storeToken != null && storeToken.isBlank()) {
      storeToken = null;
    }
    storeUrl = storeUrl.endsWith("/") ? storeUrl.substring(0, storeUrl.length() - 1) : storeUrl;
  }

  /** Builds a config from the defaults plus whatever {@code customizer} sets. */
  public static CollectorConfig create(Consumer<CollectorConfigBuilder> customizer) {
    CollectorConfigBuilder builder = new CollectorConfigBuilder();
    customizer.accept(builder);
    return builder.build();
  }

  /**
   * Reads a YAML file (layout in collector/README.md). Errors name the file, the key and the
   * allowed values.
   *
   * @throws ConfigException when a value is missing, unknown or out of range
   * @throws IOException when the file cannot be read
   */
  public static CollectorConfig load(Path file) throws IOException {
    return CollectorConfigFile.read(file);
  }

  /** Keeps the token out of logs. */
  @Override
  public String toString() {
    return "CollectorConfig[mqtt="
        + mqttHost
        + ":"
        + mqttPort
        + ", maxPacketBytes="
        + maxPacketBytes
        + ", workerShards="
        + workerShards
        + ", shardQueueCapacity="
        + shardQueueCapacity
        + ", futureSkew="
        + futureSkew
        + ", store="
        + storeKind
        + " "
        + storeUrl
        + ", token="
        + (storeToken == null ? "none" : "***")
        + ", org="
        + storeOrg
        + ", bucket="
        + storeBucket
        + ", spool="
        + (spool == null ? "off" : spool.directory())
        + ", bridge="
        + (bridge == null ? "off" : bridge)
        + ", tls="
        + (listener.tls() == null ? "off" : listener.tls())
        + "]";
  }

  static void require(String field, boolean ok, String message) {
    if (!ok) {
      throw new ConfigException(field, message);
    }
  }

  static void range(String field, int value, int min, int max) {
    require(field, value >= min && value <= max, "must be " + min + ".." + max + ", got " + value);
  }

  static void rangeLong(String field, long value, long min, long max) {
    require(field, value >= min && value <= max, "must be " + min + ".." + max + ", got " + value);
  }

  static void positive(String field, Duration value, Duration max) {
    require(field, value != null, "must be set");
    require(
        field,
        !value.isNegative() && !value.isZero() && value.compareTo(max) <= 0,
        "must be more than 0s and at most " + max + ", got " + value);
  }

  private static void checkUrl(String url) {
    require("storeUrl", url != null && !url.isBlank(), "must be an http:// or https:// URL");
    try {
      URI uri = new URI(url);
      String scheme = uri.getScheme();
      require(
          "storeUrl",
          ("http".equals(scheme) || "https".equals(scheme)) && uri.getHost() != null,
          "must be an http:// or https:// URL with a host, got '" + url + "'");
    } catch (URISyntaxException e) {
      throw new ConfigException("storeUrl", "is not a URL: " + e.getMessage());
    }
  }
}
