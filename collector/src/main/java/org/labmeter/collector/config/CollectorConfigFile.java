package org.labmeter.collector.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.labmeter.collector.ingest.GroupCommitLimits;
import org.labmeter.collector.mqtt.ClientAuthMode;

/** Reads the collector's YAML file into a {@link CollectorConfig}; the only place that does. */
final class CollectorConfigFile {
  private static final Pattern SHORT_DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");

  private record Key(String builderField, BiConsumer<CollectorConfigBuilder, JsonNode> apply) {}

  private static final Map<String, Map<String, Key>> SECTIONS = new LinkedHashMap<>();

  static {
    Map<String, Key> mqtt = new LinkedHashMap<>();
    mqtt.put("host", new Key("mqttHost", (b, n) -> b.mqttHost(text("mqtt.host", n))));
    mqtt.put("port", new Key("mqttPort", (b, n) -> b.mqttPort(integer("mqtt.port", n))));
    mqtt.put(
        "maxPacketBytes",
        new Key("maxPacketBytes", (b, n) -> b.maxPacketBytes(integer("mqtt.maxPacketBytes", n))));
    mqtt.put(
        "connectTimeout",
        new Key("connectTimeout", (b, n) -> b.connectTimeout(duration("mqtt.connectTimeout", n))));
    mqtt.put(
        "ioThreads", new Key("ioThreads", (b, n) -> b.ioThreads(integer("mqtt.ioThreads", n))));
    mqtt.put(
        "minKeepAlive",
        new Key("minKeepAlive", (b, n) -> b.minKeepAlive(duration("mqtt.minKeepAlive", n))));
    mqtt.put(
        "maxKeepAlive",
        new Key("maxKeepAlive", (b, n) -> b.maxKeepAlive(duration("mqtt.maxKeepAlive", n))));
    mqtt.put(
        "maxConnectionsPerAgent",
        new Key(
            "maxConnectionsPerAgent",
            (b, n) -> b.maxConnectionsPerAgent(integer("mqtt.maxConnectionsPerAgent", n))));
    mqtt.put(
        "publishRatePerAgent",
        new Key(
            "publishRatePerAgent",
            (b, n) -> b.publishRatePerAgent(number("mqtt.publishRatePerAgent", n))));
    mqtt.put(
        "publishBurstPerAgent",
        new Key(
            "publishBurstPerAgent",
            (b, n) -> b.publishBurstPerAgent(integer("mqtt.publishBurstPerAgent", n))));
    mqtt.put(
        "receiveMaximum",
        new Key("receiveMaximum", (b, n) -> b.receiveMaximum(integer("mqtt.receiveMaximum", n))));
    Map<String, Key> tls = new LinkedHashMap<>();
    tls.put(
        "certificateChain",
        new Key(
            "tlsCertificateChain",
            (b, n) -> b.tlsCertificateChain(Path.of(text("tls.certificateChain", n)))));
    tls.put(
        "privateKey",
        new Key("tlsPrivateKey", (b, n) -> b.tlsPrivateKey(Path.of(text("tls.privateKey", n)))));
    tls.put(
        "privateKeyPassword",
        new Key(
            "tlsPrivateKeyPassword",
            (b, n) -> b.tlsPrivateKeyPassword(n.isNull() ? null : n.asText())));
    tls.put(
        "keyStore",
        new Key("tlsKeyStore", (b, n) -> b.tlsKeyStore(Path.of(text("tls.keyStore", n)))));
    tls.put(
        "keyStorePassword",
        new Key(
            "tlsKeyStorePassword",
            (b, n) -> b.tlsKeyStorePassword(n.isNull() ? null : n.asText())));
    tls.put(
        "trustedCertificates",
        new Key(
            "tlsTrustedCertificates",
            (b, n) -> b.tlsTrustedCertificates(Path.of(text("tls.trustedCertificates", n)))));
    tls.put("clientAuth", new Key("tlsClientAuth", (b, n) -> b.tlsClientAuth(clientAuth(n))));
    tls.put(
        "certificateReplacesPassword",
        new Key(
            "tlsCertificateReplacesPassword",
            (b, n) ->
                b.tlsCertificateReplacesPassword(bool("tls.certificateReplacesPassword", n))));
    Map<String, Key> workers = new LinkedHashMap<>();
    workers.put(
        "shards", new Key("workerShards", (b, n) -> b.workerShards(integer("workers.shards", n))));
    workers.put(
        "queueCapacity",
        new Key(
            "shardQueueCapacity",
            (b, n) -> b.shardQueueCapacity(integer("workers.queueCapacity", n))));
    workers.put(
        "groupMaxBatches",
        new Key(
            "groupCommit",
            (b, n) -> b.groupCommit(groupLimit(b, "workers.groupMaxBatches", n, true))));
    workers.put(
        "groupMaxBytes",
        new Key(
            "groupCommit",
            (b, n) -> b.groupCommit(groupLimit(b, "workers.groupMaxBytes", n, false))));
    workers.put(
        "authThreads",
        new Key("authThreads", (b, n) -> b.authThreads(integer("workers.authThreads", n))));
    Map<String, Key> verify = new LinkedHashMap<>();
    verify.put(
        "futureSkew",
        new Key("futureSkew", (b, n) -> b.futureSkew(duration("verify.futureSkew", n))));
    verify.put(
        "lateAfter", new Key("lateAfter", (b, n) -> b.lateAfter(duration("verify.lateAfter", n))));
    verify.put(
        "quarantineSize",
        new Key("quarantineSize", (b, n) -> b.quarantineSize(integer("verify.quarantineSize", n))));
    verify.put(
        "maxChainWindows",
        new Key(
            "verify.maxChainWindows",
            (b, n) -> b.maxChainWindows(integer("verify.maxChainWindows", n))));
    verify.put(
        "sweepInterval",
        new Key(
            "verify.sweepInterval",
            (b, n) -> b.sweepInterval(duration("verify.sweepInterval", n))));
    verify.put(
        "sweepHorizon",
        new Key(
            "verify.sweepHorizon", (b, n) -> b.sweepHorizon(duration("verify.sweepHorizon", n))));
    Map<String, Key> store = new LinkedHashMap<>();
    store.put("kind", new Key("storeKind", (b, n) -> b.storeKind(storeKind(n))));
    store.put("url", new Key("storeUrl", (b, n) -> b.storeUrl(text("store.url", n))));
    store.put(
        "token", new Key("storeToken", (b, n) -> b.storeToken(n.isNull() ? null : n.asText())));
    store.put("org", new Key("storeOrg", (b, n) -> b.storeOrg(text("store.org", n))));
    store.put("bucket", new Key("storeBucket", (b, n) -> b.storeBucket(text("store.bucket", n))));
    store.put(
        "timeout", new Key("storeTimeout", (b, n) -> b.storeTimeout(duration("store.timeout", n))));
    Map<String, Key> spool = new LinkedHashMap<>();
    spool.put(
        "directory",
        new Key(
            "spoolDirectory",
            (b, n) -> b.spoolDirectory(n.isNull() ? null : Path.of(text("spool.directory", n)))));
    spool.put(
        "maxBytes",
        new Key("spoolMaxBytes", (b, n) -> b.spoolMaxBytes(longValue("spool.maxBytes", n))));
    spool.put(
        "segmentBytes",
        new Key(
            "spoolSegmentBytes",
            (b, n) -> b.spoolSegmentBytes(longValue("spool.segmentBytes", n))));
    spool.put(
        "backpressurePercent",
        new Key(
            "spoolBackpressurePercent",
            (b, n) -> b.spoolBackpressurePercent(integer("spool.backpressurePercent", n))));
    spool.put(
        "unhealthyPercent",
        new Key(
            "spoolUnhealthyPercent",
            (b, n) -> b.spoolUnhealthyPercent(integer("spool.unhealthyPercent", n))));
    spool.put(
        "retryBackoffMax",
        new Key(
            "spoolRetryBackoffMax",
            (b, n) -> b.spoolRetryBackoffMax(duration("spool.retryBackoffMax", n))));
    spool.put(
        "writeBehind",
        new Key("spoolWriteBehind", (b, n) -> b.spoolWriteBehind(bool("spool.writeBehind", n))));
    spool.put(
        "replayMaxRate",
        new Key(
            "spoolReplayMaxRate",
            (b, n) -> b.spoolReplayMaxRate(integer("spool.replayMaxRate", n))));
    Map<String, Key> bridge = new LinkedHashMap<>();
    bridge.put("uri", new Key("bridgeUri", (b, n) -> b.bridgeUri(text("bridge.uri", n))));
    bridge.put(
        "clientId",
        new Key("bridgeClientId", (b, n) -> b.bridgeClientId(text("bridge.clientId", n))));
    bridge.put(
        "group",
        new Key(
            "bridgeGroup", (b, n) -> b.bridgeGroup(n.isNull() ? null : text("bridge.group", n))));
    bridge.put(
        "user", new Key("bridgeUser", (b, n) -> b.bridgeUser(n.isNull() ? null : n.asText())));
    bridge.put(
        "password",
        new Key("bridgePassword", (b, n) -> b.bridgePassword(n.isNull() ? null : n.asText())));
    bridge.put(
        "keepAlive",
        new Key("bridgeKeepAlive", (b, n) -> b.bridgeKeepAlive(duration("bridge.keepAlive", n))));
    bridge.put(
        "maxReconnectDelay",
        new Key(
            "bridgeMaxReconnectDelay",
            (b, n) -> b.bridgeMaxReconnectDelay(duration("bridge.maxReconnectDelay", n))));
    SECTIONS.put("mqtt", mqtt);
    SECTIONS.put("workers", workers);
    SECTIONS.put("verify", verify);
    SECTIONS.put("store", store);
    SECTIONS.put("spool", spool);
    SECTIONS.put("bridge", bridge);
    SECTIONS.put("tls", tls);
  }

  private CollectorConfigFile() {}

  static CollectorConfig read(Path file) throws IOException {
    String text = Files.readString(file);
    JsonNode root;
    try {
      root = new YAMLMapper().readTree(text);
    } catch (JsonProcessingException e) {
      throw new ConfigException("(file)", file + ": not valid YAML: " + e.getOriginalMessage(), e);
    }
    CollectorConfigBuilder builder = builderWithDefaults();
    if (root == null || root.isMissingNode() || root.isNull()) {
      return wrap(file, builder);
    }
    if (!root.isObject()) {
      throw new ConfigException("(file)", file + ": the top level must be a mapping", null);
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> section = it.next();
      Map<String, Key> keys = SECTIONS.get(section.getKey());
      if (keys == null) {
        throw new ConfigException(
            section.getKey(),
            file
                + ": unknown section '"
                + section.getKey()
                + "', allowed: "
                + String.join(", ", SECTIONS.keySet()),
            null);
      }
      if (section.getValue().isNull()) {
        continue;
      }
      if (!section.getValue().isObject()) {
        throw new ConfigException(
            section.getKey(), file + ": " + section.getKey() + " must be a mapping", null);
      }
      for (Iterator<Map.Entry<String, JsonNode>> fit = section.getValue().fields();
          fit.hasNext(); ) {
        Map.Entry<String, JsonNode> field = fit.next();
        String path = section.getKey() + "." + field.getKey();
        Key key = keys.get(field.getKey());
        if (key == null) {
          throw new ConfigException(
              path,
              file
                  + ": unknown key '"
                  + path
                  + "', allowed in "
                  + section.getKey()
                  + ": "
                  + String.join(", ", keys.keySet()),
              null);
        }
        try {
          key.apply().accept(builder, field.getValue());
        } catch (ConfigException e) {
          throw new ConfigException(path, file + ": " + e.getMessage(), e);
        }
      }
    }
    return wrap(file, builder);
  }

  private static CollectorConfigBuilder builderWithDefaults() {
    return new CollectorConfigBuilder();
  }

  private static CollectorConfig wrap(Path file, CollectorConfigBuilder builder) {
    try {
      return builder.build();
    } catch (ConfigException e) {
      String path = pathOf(e.field());
      String detail = e.getMessage().substring(e.field().length() + 2);
      throw new ConfigException(path, file + ": " + path + ": " + detail, e);
    }
  }

  private static String pathOf(String builderField) {
    for (Map.Entry<String, Map<String, Key>> section : SECTIONS.entrySet()) {
      for (Map.Entry<String, Key> key : section.getValue().entrySet()) {
        if (key.getValue().builderField().equals(builderField)) {
          return section.getKey() + "." + key.getKey();
        }
      }
    }
    return builderField;
  }

  private static GroupCommitLimits groupLimit(
      CollectorConfigBuilder b, String path, JsonNode node, boolean batches) {
    int value = integer(path, node);
    GroupCommitLimits current = b.currentGroupCommit();
    try {
      return batches ? current.withMaxBatches(value) : current.withMaxBytes(value);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(path, e.getMessage());
    }
  }

  private static String text(String path, JsonNode node) {
    if (!node.isValueNode() || node.isNull()) {
      throw new ConfigException(path, "must be a string");
    }
    return node.asText();
  }

  private static int integer(String path, JsonNode node) {
    if (!node.isIntegralNumber() || !node.canConvertToInt()) {
      throw new ConfigException(path, "must be a whole number, got '" + node + "'");
    }
    return node.intValue();
  }

  private static double number(String path, JsonNode node) {
    if (!node.isNumber()) {
      throw new ConfigException(path, "must be a number, got '" + node + "'");
    }
    return node.doubleValue();
  }

  private static boolean bool(String path, JsonNode node) {
    if (!node.isBoolean()) {
      throw new ConfigException(path, "must be true or false, got '" + node + "'");
    }
    return node.booleanValue();
  }

  private static ClientAuthMode clientAuth(JsonNode node) {
    ClientAuthMode mode = ClientAuthMode.parse(node.asText());
    if (mode == null) {
      throw new ConfigException(
          "tls.clientAuth", "'" + node.asText() + "' is not one of none, optional, required");
    }
    return mode;
  }

  private static long longValue(String path, JsonNode node) {
    if (!node.isIntegralNumber() || !node.canConvertToLong()) {
      throw new ConfigException(path, "must be a whole number, got '" + node + "'");
    }
    return node.longValue();
  }

  private static StoreKind storeKind(JsonNode node) {
    String value = node.asText().trim().toUpperCase(Locale.ROOT);
    try {
      return StoreKind.valueOf(value);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(
          "store.kind", "'" + node.asText() + "' is not one of QUESTDB, INFLUXDB");
    }
  }

  /** Accepts "500ms", "30s", "5m", "1h", "2d" or ISO-8601 such as "PT5M". */
  static Duration duration(String path, JsonNode node) {
    String value = node.asText().trim();
    Matcher m = SHORT_DURATION.matcher(value.toLowerCase(Locale.ROOT));
    if (m.matches()) {
      long amount = Long.parseLong(m.group(1));
      return switch (m.group(2)) {
        case "ms" -> Duration.ofMillis(amount);
        case "s" -> Duration.ofSeconds(amount);
        case "m" -> Duration.ofMinutes(amount);
        case "h" -> Duration.ofHours(amount);
        default -> Duration.ofDays(amount);
      };
    }
    try {
      return Duration.parse(value);
    } catch (DateTimeParseException e) {
      throw new ConfigException(
          path,
          "'" + value + "' is not a duration; use e.g. 500ms, 30s, 5m, 1h, 2d or ISO-8601 PT5M");
    }
  }
}
