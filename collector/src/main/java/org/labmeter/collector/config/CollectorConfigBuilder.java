package org.labmeter.collector.config;

import static org.labmeter.collector.config.CollectorConfig.DEFAULT_MAX_PACKET_BYTES;
import static org.labmeter.collector.config.CollectorConfig.positive;
import static org.labmeter.collector.config.CollectorConfig.range;
import static org.labmeter.collector.config.CollectorConfig.rangeLong;
import static org.labmeter.collector.config.CollectorConfig.require;

import java.nio.file.Path;
import java.time.Duration;
import org.labmeter.collector.bridge.BridgeSettings;
import org.labmeter.collector.ingest.GroupCommitLimits;
import org.labmeter.collector.mqtt.ClientAuthMode;
import org.labmeter.collector.mqtt.ListenerSettings;
import org.labmeter.collector.mqtt.TlsSettings;
import org.labmeter.collector.spool.SpoolSettings;

/**
 * Mutable holder for {@link CollectorConfig#create}; every field starts at its documented default.
 */
public final class CollectorConfigBuilder {
  private String mqttHost = "127.0.0.1";
  private int mqttPort = 1883;
  private int maxPacketBytes = DEFAULT_MAX_PACKET_BYTES;
  private Duration connectTimeout = Duration.ofSeconds(10);
  private int ioThreads = Math.max(1, Runtime.getRuntime().availableProcessors());
  private int workerShards = Math.max(2, Runtime.getRuntime().availableProcessors());
  private int shardQueueCapacity = 2048;
  private GroupCommitLimits groupCommit = GroupCommitLimits.DEFAULT;
  private int authThreads = 2;
  private Duration futureSkew = Duration.ofMinutes(5);
  private Duration lateAfter = Duration.ofHours(1);
  private int quarantineSize = 100;
  private int maxChainWindows = ChainSettings.DEFAULT.maxChainWindows();
  private Duration sweepInterval = ChainSettings.DEFAULT.sweepInterval();
  private Duration sweepHorizon = ChainSettings.DEFAULT.sweepHorizon();
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
  private boolean spoolWriteBehind;
  private int spoolReplayMaxRate;
  private String bridgeUri;
  private String bridgeClientId;
  private String bridgeGroup = BridgeSettings.DEFAULT_GROUP;
  private String bridgeUser;
  private String bridgePassword;
  private Duration bridgeKeepAlive = BridgeSettings.DEFAULT_KEEP_ALIVE;
  private Duration bridgeMaxReconnectDelay = BridgeSettings.DEFAULT_MAX_RECONNECT_DELAY;
  private ListenerSettings listener = ListenerSettings.DEFAULT;
  private Duration minKeepAlive = listener.minKeepAlive();
  private Duration maxKeepAlive = listener.maxKeepAlive();
  private int maxConnectionsPerAgent = listener.maxConnectionsPerAgent();
  private double publishRatePerAgent = listener.publishRatePerAgent();
  private int publishBurstPerAgent = listener.publishBurstPerAgent();
  private int receiveMaximum = listener.receiveMaximum();
  private Path tlsCertificateChain;
  private Path tlsPrivateKey;
  private String tlsPrivateKeyPassword;
  private Path tlsKeyStore;
  private String tlsKeyStorePassword;
  private Path tlsTrustedCertificates;
  private ClientAuthMode tlsClientAuth = ClientAuthMode.NONE;
  private boolean tlsCertificateReplacesPassword;
  private boolean tlsTuned;

  CollectorConfigBuilder() {}

  /** Turns bridge mode on with this broker ({@code tcp://host:port}); {@code null}: off. */
  public CollectorConfigBuilder bridgeUri(String value) {
    this.bridgeUri = value;
    return this;
  }

  /** This collector's client id at the broker: stable across restarts, unique in the fleet. */
  public CollectorConfigBuilder bridgeClientId(String value) {
    this.bridgeClientId = value;
    return this;
  }

  /** The shared-subscription group every collector of the fleet joins. */
  public CollectorConfigBuilder bridgeGroup(String value) {
    this.bridgeGroup = value;
    return this;
  }

  /** The collector's broker account; {@code null} for an anonymous broker. */
  public CollectorConfigBuilder bridgeUser(String value) {
    this.bridgeUser = value;
    return this;
  }

  public CollectorConfigBuilder bridgePassword(String value) {
    this.bridgePassword = value;
    return this;
  }

  public CollectorConfigBuilder bridgeKeepAlive(Duration value) {
    this.bridgeKeepAlive = value;
    return this;
  }

  public CollectorConfigBuilder bridgeMaxReconnectDelay(Duration value) {
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

  /** Turns the disk spool on, in this directory (created if missing); {@code null} turns it off. */
  public CollectorConfigBuilder spoolDirectory(Path value) {
    this.spoolDirectory = value;
    return this;
  }

  /** Most bytes of spooled batches waiting for replay; writes past it are refused. */
  public CollectorConfigBuilder spoolMaxBytes(long value) {
    this.spoolMaxBytes = value;
    this.spoolTuned = true;
    return this;
  }

  public CollectorConfigBuilder spoolSegmentBytes(long value) {
    this.spoolSegmentBytes = value;
    this.spoolTuned = true;
    return this;
  }

  /** Depth, in percent of {@code spoolMaxBytes}, from which writes wait for replay. */
  public CollectorConfigBuilder spoolBackpressurePercent(int value) {
    this.spoolBackpressurePercent = value;
    this.spoolTuned = true;
    return this;
  }

  /** Depth, in percent of {@code spoolMaxBytes}, from which the collector reports unhealthy. */
  public CollectorConfigBuilder spoolUnhealthyPercent(int value) {
    this.spoolUnhealthyPercent = value;
    this.spoolTuned = true;
    return this;
  }

  /**
   * Every accepted group is fsync'd to the spool and acknowledged there, and written to the store
   * behind it (see {@link SpoolSettings#writeBehind()}).
   */
  public CollectorConfigBuilder spoolWriteBehind(boolean value) {
    this.spoolWriteBehind = value;
    this.spoolTuned = true;
    return this;
  }

  /** Most batches per second the spool's replay writes to the store; 0 (default) for no limit. */
  public CollectorConfigBuilder spoolReplayMaxRate(int value) {
    this.spoolReplayMaxRate = value;
    this.spoolTuned = true;
    return this;
  }

  public CollectorConfigBuilder spoolRetryBackoffMax(Duration value) {
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
    range("spoolReplayMaxRate", spoolReplayMaxRate, 0, 10_000_000);
    return new SpoolSettings(
        spoolDirectory,
        spoolMaxBytes,
        spoolSegmentBytes,
        Math.max(1, spoolMaxBytes / 100 * spoolBackpressurePercent),
        SpoolSettings.DEFAULT_BACKPRESSURE_MAX_WAIT,
        spoolMaxBytes / 100 * spoolUnhealthyPercent,
        spoolRetryBackoffMax,
        groupCommit,
        spoolWriteBehind,
        spoolReplayMaxRate);
  }

  public CollectorConfigBuilder mqttHost(String value) {
    this.mqttHost = value;
    return this;
  }

  public CollectorConfigBuilder mqttPort(int value) {
    this.mqttPort = value;
    return this;
  }

  public CollectorConfigBuilder maxPacketBytes(int value) {
    this.maxPacketBytes = value;
    return this;
  }

  public CollectorConfigBuilder connectTimeout(Duration value) {
    this.connectTimeout = value;
    return this;
  }

  public CollectorConfigBuilder ioThreads(int value) {
    this.ioThreads = value;
    return this;
  }

  public CollectorConfigBuilder workerShards(int value) {
    this.workerShards = value;
    return this;
  }

  public CollectorConfigBuilder shardQueueCapacity(int value) {
    this.shardQueueCapacity = value;
    return this;
  }

  public CollectorConfigBuilder authThreads(int value) {
    this.authThreads = value;
    return this;
  }

  public CollectorConfigBuilder futureSkew(Duration value) {
    this.futureSkew = value;
    return this;
  }

  public CollectorConfigBuilder lateAfter(Duration value) {
    this.lateAfter = value;
    return this;
  }

  public CollectorConfigBuilder quarantineSize(int value) {
    this.quarantineSize = value;
    return this;
  }

  public CollectorConfigBuilder maxChainWindows(int value) {
    this.maxChainWindows = value;
    return this;
  }

  /** {@code Duration.ZERO} turns the chain sweeper off. */
  public CollectorConfigBuilder sweepInterval(Duration value) {
    this.sweepInterval = value;
    return this;
  }

  public CollectorConfigBuilder sweepHorizon(Duration value) {
    this.sweepHorizon = value;
    return this;
  }

  public CollectorConfigBuilder storeKind(StoreKind value) {
    this.storeKind = value;
    return this;
  }

  public CollectorConfigBuilder storeUrl(String value) {
    this.storeUrl = value;
    return this;
  }

  public CollectorConfigBuilder storeToken(String value) {
    this.storeToken = value;
    return this;
  }

  public CollectorConfigBuilder storeOrg(String value) {
    this.storeOrg = value;
    return this;
  }

  public CollectorConfigBuilder storeBucket(String value) {
    this.storeBucket = value;
    return this;
  }

  GroupCommitLimits currentGroupCommit() {
    return groupCommit;
  }

  /** How many queued batches a worker writes in one store request (1 turns grouping off). */
  public CollectorConfigBuilder groupCommit(GroupCommitLimits value) {
    this.groupCommit = value;
    return this;
  }

  public CollectorConfigBuilder storeTimeout(Duration value) {
    this.storeTimeout = value;
    return this;
  }

  /** Shortest keep-alive a client may ask for (0s: no bound). */
  public CollectorConfigBuilder minKeepAlive(Duration value) {
    this.minKeepAlive = value;
    return this;
  }

  /** Longest keep-alive a client may ask for, "none" counting as longer (0s: no bound). */
  public CollectorConfigBuilder maxKeepAlive(Duration value) {
    this.maxKeepAlive = value;
    return this;
  }

  public CollectorConfigBuilder maxConnectionsPerAgent(int value) {
    this.maxConnectionsPerAgent = value;
    return this;
  }

  /** Publishes per second per agent (0: no limit); beyond it reading pauses. */
  public CollectorConfigBuilder publishRatePerAgent(double value) {
    this.publishRatePerAgent = value;
    return this;
  }

  public CollectorConfigBuilder publishBurstPerAgent(int value) {
    this.publishBurstPerAgent = value;
    return this;
  }

  /** QoS 1 publishes an MQTT 5 client may have unacknowledged at once. */
  public CollectorConfigBuilder receiveMaximum(int value) {
    this.receiveMaximum = value;
    return this;
  }

  /** PEM certificate chain of the listener (with {@link #tlsPrivateKey}); turns TLS on. */
  public CollectorConfigBuilder tlsCertificateChain(Path value) {
    this.tlsCertificateChain = value;
    this.tlsTuned = true;
    return this;
  }

  /** PEM PKCS#8 private key of the listener. */
  public CollectorConfigBuilder tlsPrivateKey(Path value) {
    this.tlsPrivateKey = value;
    this.tlsTuned = true;
    return this;
  }

  public CollectorConfigBuilder tlsPrivateKeyPassword(String value) {
    this.tlsPrivateKeyPassword = value;
    return this;
  }

  /** PKCS#12 key store with the listener's key and chain, instead of PEM files; turns TLS on. */
  public CollectorConfigBuilder tlsKeyStore(Path value) {
    this.tlsKeyStore = value;
    this.tlsTuned = true;
    return this;
  }

  public CollectorConfigBuilder tlsKeyStorePassword(String value) {
    this.tlsKeyStorePassword = value;
    return this;
  }

  /** PEM certificates of the authorities that sign agents' client certificates. */
  public CollectorConfigBuilder tlsTrustedCertificates(Path value) {
    this.tlsTrustedCertificates = value;
    return this;
  }

  public CollectorConfigBuilder tlsClientAuth(ClientAuthMode value) {
    this.tlsClientAuth = value;
    return this;
  }

  /** An agent whose client certificate names it may leave the password out. */
  public CollectorConfigBuilder tlsCertificateReplacesPassword(boolean value) {
    this.tlsCertificateReplacesPassword = value;
    return this;
  }

  private ListenerSettings listener() {
    TlsSettings tls = null;
    if (tlsTuned) {
      tls =
          new TlsSettings(
              tlsCertificateChain,
              tlsPrivateKey,
              tlsPrivateKeyPassword,
              tlsKeyStore,
              tlsKeyStorePassword,
              tlsTrustedCertificates,
              tlsClientAuth,
              tlsCertificateReplacesPassword);
    } else {
      require(
          "tlsClientAuth",
          tlsClientAuth == ClientAuthMode.NONE
              && tlsTrustedCertificates == null
              && !tlsCertificateReplacesPassword,
          "needs tls.keyStore or tls.certificateChain and tls.privateKey (without them there is"
              + " no TLS)");
    }
    return new ListenerSettings(
        minKeepAlive,
        maxKeepAlive,
        maxConnectionsPerAgent,
        publishRatePerAgent,
        publishBurstPerAgent,
        receiveMaximum,
        tls);
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
        bridge(),
        listener(),
        new ChainSettings(maxChainWindows, sweepInterval, sweepHorizon));
  }
}
