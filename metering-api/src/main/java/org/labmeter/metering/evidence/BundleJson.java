package org.labmeter.metering.evidence;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.labmeter.metering.derive.DerivationProfile;
import org.labmeter.metering.store.StoredBatch;

/**
 * The bundle's file format: one UTF-8 JSON document ({@code labmeter-evidence/1}, described in
 * docs/evidence.md). Written with a streaming generator, so a large bundle is not built twice in
 * memory. Instants appear twice, as exact milliseconds (what the verifier uses) and as ISO-8601
 * text (what people read).
 */
public final class BundleJson {
  private static final JsonFactory FACTORY = new JsonFactory();
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private BundleJson() {}

  public static void write(EvidenceBundle b, OutputStream out) throws IOException {
    try (JsonGenerator g = FACTORY.createGenerator(out, JsonEncoding.UTF8)) {
      g.useDefaultPrettyPrinter();
      g.writeStartObject();
      g.writeStringField("format", b.format());
      g.writeStringField("exportedAt", iso(b.exportedAtMillis()));
      g.writeNumberField("exportedAtMillis", b.exportedAtMillis());
      g.writeObjectFieldStart("instrument");
      g.writeStringField("id", b.instrumentId());
      g.writeStringField("name", b.instrumentName());
      g.writeEndObject();
      g.writeObjectFieldStart("window");
      g.writeStringField("from", iso(b.fromMillis()));
      g.writeStringField("to", iso(b.toMillis()));
      g.writeNumberField("fromMillis", b.fromMillis());
      g.writeNumberField("toMillis", b.toMillis());
      g.writeNumberField("readFromMillis", b.readFromMillis());
      g.writeNumberField("readToMillis", b.readToMillis());
      g.writeEndObject();
      g.writeStringField("algorithmVersion", b.algorithmVersion());
      g.writeArrayFieldStart("profileVersions");
      for (BundledProfile p : b.profiles()) {
        DerivationProfile d = p.profile();
        g.writeStartObject();
        g.writeNumberField("version", p.version());
        g.writeStringField("validFrom", iso(p.validFromMillis()));
        g.writeNumberField("validFromMillis", p.validFromMillis());
        g.writeNumberField("offBelowW", d.offBelowW());
        g.writeNumberField("onThresholdW", d.onThresholdW());
        g.writeNumberField("offThresholdW", d.offThresholdW());
        g.writeNumberField("minOnMillis", d.minOn().toMillis());
        g.writeNumberField("minOffMillis", d.minOff().toMillis());
        g.writeNumberField("maxSampleGapMillis", d.maxSampleGap().toMillis());
        g.writeStringField("parameterHash", d.parameterHash());
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeArrayFieldStart("agents");
      for (BundledAgent a : b.agents()) {
        g.writeStartObject();
        g.writeStringField("id", a.id());
        g.writeStringField("publicKey", a.publicKeyBase64());
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeArrayFieldStart("batches");
      for (StoredBatch s : b.batches()) {
        g.writeStartObject();
        g.writeStringField("agent", s.agentId());
        g.writeNumberField("sequence", s.sequence());
        g.writeNumberField("firstTs", s.firstTimestampMillis());
        g.writeNumberField("lastTs", s.lastTimestampMillis());
        g.writeStringField("hash", s.hashHex());
        g.writeBooleanField("storedVerified", s.chainOk());
        g.writeNumberField("receivedAtMillis", s.receivedAtMillis());
        g.writeStringField("envelope", s.envelopeBase64());
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeObjectFieldStart("server");
      g.writeNumberField("profileVersion", b.server().profileVersion());
      g.writeNumberField("samplesRead", b.server().samplesRead());
      g.writeFieldName("usage");
      UsageJson.write(g, b.server().usage());
      g.writeEndObject();
      g.writeEndObject();
    }
  }

  public static byte[] toBytes(EvidenceBundle b) {
    var out = new java.io.ByteArrayOutputStream();
    try {
      write(b, out);
    } catch (IOException e) {
      throw new IllegalStateException("writing to memory failed", e);
    }
    return out.toByteArray();
  }

  public static BundleReadResult read(Path file) {
    if (!Files.isRegularFile(file)) {
      return new BundleReadResult.Unreadable(file + " is not a readable file");
    }
    try (InputStream in = Files.newInputStream(file)) {
      return read(in);
    } catch (IOException e) {
      return new BundleReadResult.Unreadable("cannot read " + file + ": " + e.getMessage());
    }
  }

  public static BundleReadResult read(InputStream in) {
    JsonNode root;
    try {
      root = MAPPER.readTree(in);
    } catch (JsonProcessingException e) {
      return new BundleReadResult.Unreadable("not a JSON document: " + e.getOriginalMessage());
    } catch (IOException e) {
      return new BundleReadResult.Unreadable("cannot read the bundle: " + e.getMessage());
    }
    if (root == null || !root.isObject()) {
      return new BundleReadResult.Unreadable("not a JSON object");
    }
    String format = root.path("format").asText("");
    if (!EvidenceBundle.FORMAT.equals(format)) {
      return new BundleReadResult.Unreadable(
          "format is '" + format + "', this verifier reads " + EvidenceBundle.FORMAT);
    }
    try {
      return new BundleReadResult.Read(parse(root));
    } catch (IllegalArgumentException e) {
      return new BundleReadResult.Unreadable(e.getMessage());
    }
  }

  private static EvidenceBundle parse(JsonNode root) {
    JsonNode window = required(root, "window");
    JsonNode instrument = required(root, "instrument");
    List<BundledProfile> profiles = new ArrayList<>();
    for (JsonNode p : array(root, "profileVersions")) {
      DerivationProfile profile =
          DerivationProfile.create(
              x ->
                  x.offBelowW(required(p, "offBelowW").asDouble())
                      .onThresholdW(required(p, "onThresholdW").asDouble())
                      .offThresholdW(required(p, "offThresholdW").asDouble())
                      .minOn(Duration.ofMillis(longField(p, "minOnMillis")))
                      .minOff(Duration.ofMillis(longField(p, "minOffMillis")))
                      .maxSampleGap(Duration.ofMillis(longField(p, "maxSampleGapMillis"))));
      profiles.add(
          new BundledProfile(
              (int) longField(p, "version"), longField(p, "validFromMillis"), profile));
    }
    List<BundledAgent> agents = new ArrayList<>();
    for (JsonNode a : array(root, "agents")) {
      agents.add(new BundledAgent(text(a, "id"), text(a, "publicKey")));
    }
    List<StoredBatch> batches = new ArrayList<>();
    for (JsonNode s : array(root, "batches")) {
      batches.add(
          new StoredBatch(
              text(s, "agent"),
              longField(s, "sequence"),
              longField(s, "firstTs"),
              longField(s, "lastTs"),
              s.path("hash").asText(""),
              s.path("storedVerified").asBoolean(false),
              s.path("receivedAtMillis").asLong(0),
              text(s, "envelope")));
    }
    JsonNode server = required(root, "server");
    return new EvidenceBundle(
        text(root, "format"),
        root.path("exportedAtMillis").asLong(0),
        text(instrument, "id"),
        instrument.path("name").asText(""),
        longField(window, "fromMillis"),
        longField(window, "toMillis"),
        longField(window, "readFromMillis"),
        longField(window, "readToMillis"),
        text(root, "algorithmVersion"),
        profiles,
        agents,
        batches,
        new ServerResult(
            (int) longField(server, "profileVersion"),
            (int) longField(server, "samplesRead"),
            UsageJson.read(required(server, "usage"))));
  }

  static JsonNode required(JsonNode n, String field) {
    JsonNode v = n.get(field);
    if (v == null || v.isNull()) {
      throw new IllegalArgumentException("field '" + field + "' is missing");
    }
    return v;
  }

  static long longField(JsonNode n, String field) {
    JsonNode v = required(n, field);
    if (!v.canConvertToLong() || !v.isIntegralNumber()) {
      throw new IllegalArgumentException("field '" + field + "' must be an integer, got " + v);
    }
    return v.asLong();
  }

  static String text(JsonNode n, String field) {
    JsonNode v = required(n, field);
    if (!v.isTextual()) {
      throw new IllegalArgumentException("field '" + field + "' must be text, got " + v);
    }
    return v.asText();
  }

  static Iterable<JsonNode> array(JsonNode n, String field) {
    JsonNode v = required(n, field);
    if (!v.isArray()) {
      throw new IllegalArgumentException("field '" + field + "' must be an array");
    }
    return v;
  }

  static String iso(long millis) {
    return Instant.ofEpochMilli(millis).toString();
  }
}
