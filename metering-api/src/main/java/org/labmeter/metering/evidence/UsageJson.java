package org.labmeter.metering.evidence;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.labmeter.metering.derive.EvidenceGap;
import org.labmeter.metering.derive.ProfileSpan;
import org.labmeter.metering.derive.RunSession;
import org.labmeter.metering.derive.RunState;
import org.labmeter.metering.derive.StateDurations;
import org.labmeter.metering.derive.StateSegment;
import org.labmeter.metering.derive.Usage;

/**
 * A {@link Usage} as exact JSON: integer milliseconds and the coverage double (written with enough
 * digits to read back to the same value), so that the verifier compares numbers, not roundings.
 */
final class UsageJson {
  private UsageJson() {}

  static void write(JsonGenerator g, Usage u) throws IOException {
    g.writeStartObject();
    g.writeNumberField("fromMillis", u.fromMillis());
    g.writeNumberField("toMillis", u.toMillis());
    g.writeStringField("algorithmVersion", u.algorithmVersion());
    g.writeStringField("parameterHash", u.parameterHash());
    writeDurations(g, "millis", u.durations());
    writeDurations(g, "verifiedMillis", u.verifiedDurations());
    g.writeNumberField("coverage", u.coverage());
    g.writeArrayFieldStart("timeline");
    for (StateSegment s : u.timeline()) {
      g.writeStartObject();
      g.writeNumberField("start", s.startMillis());
      g.writeNumberField("end", s.endMillis());
      g.writeStringField("state", s.state().name());
      g.writeNumberField("verifiedMillis", s.verifiedMillis());
      g.writeEndObject();
    }
    g.writeEndArray();
    g.writeArrayFieldStart("sessions");
    for (RunSession s : u.sessions()) {
      g.writeStartObject();
      g.writeNumberField("start", s.startMillis());
      g.writeNumberField("end", s.endMillis());
      g.writeNumberField("activeMillis", s.activeMillis());
      g.writeNumberField("verifiedActiveMillis", s.verifiedActiveMillis());
      g.writeBooleanField("startsBeforeWindow", s.startsBeforeWindow());
      g.writeBooleanField("endsAfterWindow", s.endsAfterWindow());
      g.writeEndObject();
    }
    g.writeEndArray();
    g.writeArrayFieldStart("profiles");
    for (ProfileSpan p : u.profiles()) {
      g.writeStartObject();
      g.writeNumberField("start", p.fromMillis());
      g.writeNumberField("end", p.toMillis());
      g.writeNumberField("version", p.version());
      g.writeNumberField("validFromMillis", p.validFromMillis());
      g.writeStringField("parameterHash", p.parameterHash());
      g.writeEndObject();
    }
    g.writeEndArray();
    g.writeArrayFieldStart("evidenceGaps");
    for (EvidenceGap e : u.evidenceGaps()) {
      g.writeStartObject();
      g.writeNumberField("start", e.startMillis());
      g.writeNumberField("end", e.endMillis());
      g.writeEndObject();
    }
    g.writeEndArray();
    g.writeEndObject();
  }

  private static void writeDurations(JsonGenerator g, String name, StateDurations d)
      throws IOException {
    g.writeObjectFieldStart(name);
    for (RunState s : RunState.values()) {
      g.writeNumberField(s.name(), d.millis(s));
    }
    g.writeEndObject();
  }

  static Usage read(JsonNode n) {
    List<StateSegment> timeline = new ArrayList<>();
    for (JsonNode s : BundleJson.array(n, "timeline")) {
      timeline.add(
          new StateSegment(
              BundleJson.longField(s, "start"),
              BundleJson.longField(s, "end"),
              RunState.valueOf(BundleJson.text(s, "state")),
              BundleJson.longField(s, "verifiedMillis")));
    }
    List<RunSession> sessions = new ArrayList<>();
    for (JsonNode s : BundleJson.array(n, "sessions")) {
      sessions.add(
          new RunSession(
              BundleJson.longField(s, "start"),
              BundleJson.longField(s, "end"),
              BundleJson.longField(s, "activeMillis"),
              BundleJson.longField(s, "verifiedActiveMillis"),
              BundleJson.required(s, "startsBeforeWindow").asBoolean(),
              BundleJson.required(s, "endsAfterWindow").asBoolean()));
    }
    List<EvidenceGap> gaps = new ArrayList<>();
    for (JsonNode e : BundleJson.array(n, "evidenceGaps")) {
      gaps.add(new EvidenceGap(BundleJson.longField(e, "start"), BundleJson.longField(e, "end")));
    }
    List<ProfileSpan> profiles = new ArrayList<>();
    // bundles written before profile changes were split carry no "profiles"
    if (n.has("profiles")) {
      for (JsonNode p : BundleJson.array(n, "profiles")) {
        profiles.add(
            new ProfileSpan(
                BundleJson.longField(p, "start"),
                BundleJson.longField(p, "end"),
                (int) BundleJson.longField(p, "version"),
                BundleJson.longField(p, "validFromMillis"),
                BundleJson.text(p, "parameterHash")));
      }
    }
    return new Usage(
        BundleJson.longField(n, "fromMillis"),
        BundleJson.longField(n, "toMillis"),
        readDurations(BundleJson.required(n, "millis")),
        readDurations(BundleJson.required(n, "verifiedMillis")),
        timeline,
        sessions,
        BundleJson.required(n, "coverage").asDouble(),
        gaps,
        BundleJson.text(n, "algorithmVersion"),
        BundleJson.text(n, "parameterHash"),
        profiles);
  }

  private static StateDurations readDurations(JsonNode n) {
    return new StateDurations(
        BundleJson.longField(n, "OFF"),
        BundleJson.longField(n, "STANDBY"),
        BundleJson.longField(n, "ACTIVE"),
        BundleJson.longField(n, "FAULT"),
        BundleJson.longField(n, "UNKNOWN"));
  }
}
