package org.labmeter.collector.config;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Consumer;
import org.labmeter.collector.bridge.BridgeSettings;
import org.labmeter.collector.ingest.GroupCommitLimits;
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
    BridgeSettings bridge) {

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
    if (storeToken != null && storeToken.isBlank()) {
      storeToken = null;
    }
    storeUrl = storeUrl.endsWith("/") ? storeUrl.substring(0, storeUrl.length() - 1) : storeUrl;
  }

  /** Builds a config from the defaults plus whatever {@code customizer} sets. */
  public static CollectorConfig create(Consumer<Builder> customizer) {
    Builder builder = new Builder();
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
        + "]";
  }

  private static void require(String field, boolean ok, String message) {
    if (!ok) {
      throw new ConfigException(field, message);
    }
  }

  private static void range(String field, int value, int min, int max) {
    require(field, value >= min && value <= max, "must be " + min + ".." + max + ", got " + value);
  }

  private static void rangeLong(String field, long value, long min, long max) {
    require(field, value >= min && value <= max, "must be " + min + ".." + max + ", got " + value);
  }

  private static void positive(String field, Duration value, Duration max) {
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

  /** Mutable holder for {@link #create}; every field starts at its documented default. */
  public static final class Builder {
    private String mqttHost = "127.0.0.1";
    private int mqttPort = 1883;
    private int maxPacketBytes = DEFAULT_MAX_PACKET_BYTES;
    private Duration connectTimeout = Duration.ofSeconds(10);
    private int ioThreads = Math.max(1, Runtime.getRuntime().availableProcessors());
    private int workerShards = Math.max(2, Runtime.getRuntime().availableProcessors());
    private int shardQueueCapacity = 256;
    private GroupCommitLimits groupCommit = GroupCommitLimits.DEFAULT;
    private int authThreads = 2;
    private Duration futureSkew = Duration.ofMinutes(5);
    private Duration lateAfter = Duration.ofHours(1);
    private int quarantineSize = 100;
    private StoreKind storeKind = StoreKind.QUESTDB;
    private String storeUrl = "http://127.0.0.1:9000";
    private String storeToken;
    private String storeOrg = "labmeter";
    private String storeBucket = "labmeter";
    private Duration storeTimeout = Duration.ofSeconds(30);
    private Path spoolDirectory;
    private long spoolMaxBytes = SpoolSettings.DEFAULT_MAX_BYTES;
    private long spoolSegmentBytes = SpoolSettings.DEFAULT_SEGMENT_BYTES;
    private int spoolBackpressurePercent = 80;
    private int spoolUnhealthyPercent = 50;
    private Duration spoolRetryBackoffMax = SpoolSettings.DEFAULT_RETRY_BACKOFF_MAX;
    private boolean spoolTuned;
    private String bridgeUri;
    private String bridgeClientId;
    private String bridgeGroup = BridgeSettings.DEFAULT_GROUP;
    private String bridgeUser;
    private String bridgePassword;
    private Duration bridgeKeepAlive = BridgeSettings.DEFAULT_KEEP_ALIVE;
    private Duration bridgeMaxReconnectDelay = BridgeSettings.DEFAULT_MAX_RECONNECT_DELAY;

    Builder() {}

    /** Turns bridge mode on with this broker ({@code tcp://host:port}); {@code null}: off. */
    public Builder bridgeUri(String value) {
      this.bridgeUri = value;
      return this;
    }

    /** This collector's client id at the broker: stable across restarts, unique in the fleet. */
    public Builder bridgeClientId(String value) {
      this.bridgeClientId = value;
      return this;
    }

    /** The shared-subscription group every collector of the fleet joins. */
    public Builder bridgeGroup(String value) {
      this.bridgeGroup = value;
      return this;
    }

    /** The collector's broker account; {@code null} for an anonymous broker. */
    public Builder bridgeUser(String value) {
      this.bridgeUser = value;
      return this;
    }

    public Builder bridgePassword(String value) {
      this.bridgePassword = value;
      return this;
    }

    public Builder bridgeKeepAlive(Duration value) {
      this.bridgeKeepAlive = value;
      return this;
    }

    public Builder bridgeMaxReconnectDelay(Duration value) {
      this.bridgeMaxReconnectDelay = value;
      return this;
    }

    private BridgeSettings bridge() {
      if (bridgeUri == null) {
        require(
            "bridgeUri",
            bridgeClientId == null,
            "must be set when bridge.clientId is given (without it there is no bridge)");
        return null;
      }
      return new BridgeSettings(
          bridgeUri,
          bridgeClientId,
          bridgeGroup,
          bridgeUser,
          bridgePassword,
          bridgeKeepAlive,
          bridgeMaxReconnectDelay);
    }

    /**
     * Turns the disk spool on, in this directory (created if missing); {@code null} turns it off.
     */
    public Builder spoolDirectory(Path value) {
      this.spoolDirectory = value;
      return this;
    }

    /** Most bytes of spooled batches waiting for replay; writes past it are refused. */
    public Builder spoolMaxBytes(long value) {
      this.spoolMaxBytes = value;
      this.spoolTuned = true;
      return this;
    }

    public Builder spoolSegmentBytes(long value) {
      this.spoolSegmentBytes = value;
      this.spoolTuned = true;
      return this;
    }

    /** Depth, in percent of {@code spoolMaxBytes}, from which writes wait for replay. */
    public Builder spoolBackpressurePercent(int value) {
      this.spoolBackpressurePercent = value;
      this.spoolTuned = true;
      return this;
    }

    /** Depth, in percent of {@code spoolMaxBytes}, from which the collector reports unhealthy. */
    public Builder spoolUnhealthyPercent(int value) {
      this.spoolUnhealthyPercent = value;
      this.spoolTuned = true;
      return this;
    }

    public Builder spoolRetryBackoffMax(Duration value) {
      this.spoolRetryBackoffMax = value;
      this.spoolTuned = true;
      return this;
    }

    private SpoolSettings spool() {
      if (spoolDirectory == null) {
        require(
            "spoolDirectory",
            !spoolTuned,
            "must be set when other spool settings are given (without it there is no spool)");
        return null;
      }
      long minMax = Math.max(1L << 20, 2L * groupCommit.maxBytes());
      rangeLong("spoolMaxBytes", spoolMaxBytes, minMax, 1L << 40);
      rangeLong("spoolSegmentBytes", spoolSegmentBytes, 64L * 1024, 1L << 30);
      range("spoolBackpressurePercent", spoolBackpressurePercent, 1, 100);
      range("spoolUnhealthyPercent", spoolUnhealthyPercent, 0, 100);
      positive("spoolRetryBackoffMax", spoolRetryBackoffMax, Duration.ofMinutes(10));
      return new SpoolSettings(
          spoolDirectory,
          spoolMaxBytes,
          spoolSegmentBytes,
          Math.max(1, spoolMaxBytes / 100 * spoolBackpressurePercent),
          SpoolSettings.DEFAULT_BACKPRESSURE_MAX_WAIT,
          spoolMaxBytes / 100 * spoolUnhealthyPercent,
          spoolRetryBackoffMax,
          groupCommit);
    }

    public Builder mqttHost(String value) {
      this.mqttHost = value;
      return this;
    }

    public Builder mqttPort(int value) {
      this.mqttPort = value;
      return this;
    }

    public Builder maxPacketBytes(int value) {
      this.maxPacketBytes = value;
      return this;
    }

    public Builder connectTimeout(Duration value) {
      this.connectTimeout = value;
      return this;
    }

    public Builder ioThreads(int value) {
      this.ioThreads = value;
      return this;
    }

    public Builder workerShards(int value) {
      this.workerShards = value;
      return this;
    }

    public Builder shardQueueCapacity(int value) {
      this.shardQueueCapacity = value;
      return this;
    }

    public Builder authThreads(int value) {
      this.authThreads = value;
      return this;
    }

    public Builder futureSkew(Duration value) {
      this.futureSkew = value;
      return this;
    }

    public Builder lateAfter(Duration value) {
      this.lateAfter = value;
      return this;
    }

    public Builder quarantineSize(int value) {
      this.quarantineSize = value;
      return this;
    }

    public Builder storeKind(StoreKind value) {
      this.storeKind = value;
      return this;
    }

    public Builder storeUrl(String value) {
      this.storeUrl = value;
      return this;
    }

    public Builder storeToken(String value) {
      this.storeToken = value;
      return this;
    }

    public Builder storeOrg(String value) {
      this.storeOrg = value;
      return this;
    }

    public Builder storeBucket(String value) {
      this.storeBucket = value;
      return this;
    }

    GroupCommitLimits currentGroupCommit() {
      return groupCommit;
    }

    /** How many queued batches a worker writes in one store request (1 turns grouping off). */
    public Builder groupCommit(GroupCommitLimits value) {
      this.groupCommit = value;
      return this;
    }

    public Builder storeTimeout(Duration value) {
      this.storeTimeout = value;
      return this;
    }

    public CollectorConfig build() {
      return new CollectorConfig(
          mqttHost,
          mqttPort,
          maxPacketBytes,
          connectTimeout,
          ioThreads,
          workerShards,
          shardQueueCapacity,
          authThreads,
          groupCommit,
          futureSkew,
          lateAfter,
          quarantineSize,
          storeKind,
          storeUrl,
          storeToken,
          storeOrg,
          storeBucket,
          storeTimeout,
          spool(),
          bridge());
    }
  }
}
