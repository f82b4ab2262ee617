package org.labmeter.metering.http;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.labmeter.metering.derive.EvidenceGap;
import org.labmeter.metering.derive.ProfileSpan;
import org.labmeter.metering.derive.RunSession;
import org.labmeter.metering.derive.RunState;
import org.labmeter.metering.derive.Usage;
import org.labmeter.metering.registry.Instrument;
import org.labmeter.metering.usage.InstrumentUsage;
import org.labmeter.metering.usage.LiveState;

/**
 * JSON shapes of the API. Durations are given twice: exact milliseconds (what sums) and hours
 * rounded to four decimals (what people read).
 */
final class JsonViews {
  private JsonViews() {}

  static Map<String, Object> error(String code, String message, String field) {
    Map<String, Object> e = new LinkedHashMap<>();
    e.put("code", code);
    e.put("message", message);
    e.put("field", field);
    return Map.of("error", e);
  }

  static Map<String, Object> instrument(Instrument i) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("id", i.id());
    out.put("facilityId", i.facilityId());
    out.put("name", i.name());
    out.put("nameZh", i.nameZh());
    out.put("model", i.model());
    out.put("assetNo", i.assetNo());
    return out;
  }

  static Map<String, Object> live(LiveState s, Instant now) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("state", s.state().name());
    out.put("since", s.sinceMillis() < 0 ? null : iso(s.sinceMillis()));
    out.put("lastSampleAt", s.lastSampleMillis() < 0 ? null : iso(s.lastSampleMillis()));
    out.put("powerW", Double.isNaN(s.powerW()) ? null : s.powerW());
    out.put("fresh", s.fresh());
    out.put("at", now.toString());
    return out;
  }

  static Map<String, Object> usage(InstrumentUsage iu) {
    Usage u = iu.usage();
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("instrument", iu.instrument().id());
    out.put("from", iso(u.fromMillis()));
    out.put("to", iso(u.toMillis()));
    out.put("algorithmVersion", u.algorithmVersion());
    out.put("profileVersion", iu.profile().version());
    out.put("profileHash", u.parameterHash());
    out.put("profiles", profiles(u));
    out.put("samples", iu.samplesRead());
    Map<String, Object> hours = new LinkedHashMap<>();
    Map<String, Object> millis = new LinkedHashMap<>();
    for (RunState s : RunState.values()) {
      hours.put(s.name(), hours(u.durations().millis(s)));
      millis.put(s.name(), u.durations().millis(s));
    }
    out.put("hours", hours);
    out.put("millis", millis);
    out.put("verifiedActiveHours", hours(u.verifiedActiveMillis()));
    out.put("coverage", u.coverage());
    List<Map<String, Object>> sessions = new ArrayList<>();
    for (RunSession s : u.sessions()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("start", iso(s.startMillis()));
      m.put("end", iso(s.endMillis()));
      m.put("activeHours", hours(s.activeMillis()));
      m.put("activeMillis", s.activeMillis());
      m.put("verifiedActiveMillis", s.verifiedActiveMillis());
      m.put("coverage", s.coverage());
      m.put("startsBeforeWindow", s.startsBeforeWindow());
      m.put("endsAfterWindow", s.endsAfterWindow());
      sessions.add(m);
    }
    out.put("sessions", sessions);
    List<Map<String, Object>> gaps = new ArrayList<>();
    for (EvidenceGap g : u.evidenceGaps()) {
      gaps.add(Map.of("start", iso(g.startMillis()), "end", iso(g.endMillis())));
    }
    out.put("evidenceGaps", gaps);
    return out;
  }

  /** The profile version applied to each part of the window (several across a profile change). */
  static List<Map<String, Object>> profiles(Usage u) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (ProfileSpan p : u.profiles()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("from", iso(p.fromMillis()));
      m.put("to", iso(p.toMillis()));
      m.put("version", p.version());
      m.put("profileHash", p.parameterHash());
      out.add(m);
    }
    return out;
  }

  private static double hours(long millis) {
    return Math.round(millis / 360.0) / 10_000.0;
  }

  private static String iso(long millis) {
    return Instant.ofEpochMilli(millis).toString();
  }
}
