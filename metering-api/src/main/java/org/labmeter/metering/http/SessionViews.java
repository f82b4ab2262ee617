package org.labmeter.metering.http;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.labmeter.metering.attribution.AttributionIssue;
import org.labmeter.metering.attribution.AttributionPolicy;
import org.labmeter.metering.attribution.AttributionResult;
import org.labmeter.metering.attribution.Hours;
import org.labmeter.metering.attribution.NoShow;
import org.labmeter.metering.attribution.Overrun;
import org.labmeter.metering.attribution.SessionAttribution;
import org.labmeter.metering.attribution.UnbookedUse;
import org.labmeter.metering.attribution.UsageSession;
import org.labmeter.metering.derive.Usage;
import org.labmeter.metering.sessions.ImportResult;
import org.labmeter.metering.sessions.ImportWarning;
import org.labmeter.metering.sessions.RowError;
import org.labmeter.metering.usage.InstrumentUsage;

/**
 * JSON shapes of the session import and the attribution endpoint, in the style of {@link
 * JsonViews}: every duration as exact milliseconds (what sums) and as hours rounded to four
 * decimals (what people read).
 */
final class SessionViews {
  private SessionViews() {}

  static Map<String, Object> imported(ImportResult.Imported ok) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("instrument", ok.instrumentId());
    out.put("imported", ok.imported());
    out.put("storedTotal", ok.storedTotal());
    out.put("encoding", ok.encoding());
    out.put("source", ok.source());
    List<Map<String, Object>> warnings = new ArrayList<>();
    for (ImportWarning w : ok.warnings()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("row", w.row());
      m.put("sessionId", w.sessionId());
      m.put("code", "OVERLAPS_SAME_KIND");
      m.put("otherSessionId", w.otherSessionId());
      m.put("message", w.message());
      warnings.add(m);
    }
    out.put("warnings", warnings);
    return out;
  }

  static Map<String, Object> invalid(ImportResult.Invalid bad) {
    Map<String, Object> e = new LinkedHashMap<>();
    e.put("code", "invalid_sessions");
    e.put(
        "message",
        bad.badRows()
            + " of "
            + bad.rowsRead()
            + " rows are invalid; nothing was imported. Fix every row listed and send the file"
            + " again.");
    e.put("field", null);
    e.put("rowsRead", bad.rowsRead());
    e.put("badRows", bad.badRows());
    List<Map<String, Object>> rows = new ArrayList<>();
    for (RowError r : bad.errors()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("row", r.row());
      m.put("line", r.line() == 0 ? null : r.line());
      m.put("sessionId", r.sessionId());
      m.put("field", r.field());
      m.put("value", r.value());
      m.put("message", r.message());
      rows.add(m);
    }
    e.put("rows", rows);
    return Map.of("error", e);
  }

  static Map<String, Object> attribution(
      InstrumentUsage iu, AttributionPolicy policy, AttributionResult r) {
    Usage u = iu.usage();
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("instrument", iu.instrument().id());
    out.put("from", iso(r.fromMillis()));
    out.put("to", iso(r.toMillis()));
    out.put("managingEntityId", r.managingEntityId());
    out.put("algorithmVersion", r.algorithmVersion());
    Map<String, Object> derivation = new LinkedHashMap<>();
    derivation.put("algorithmVersion", u.algorithmVersion());
    derivation.put("profileVersion", iu.profile().version());
    derivation.put("profileHash", u.parameterHash());
    derivation.put("coverage", u.coverage());
    out.put("derivation", derivation);
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("prepCapMillis", policy.prepCap().toMillis());
    p.put("postCapMillis", policy.postCap().toMillis());
    p.put("overrunToleranceMillis", policy.overrunTolerance().toMillis());
    p.put("noShowThresholdMillis", policy.noShowThreshold().toMillis());
    p.put("verifiedShare", policy.verifiedShare());
    out.put("policy", p);
    Map<String, Hours> totals = new LinkedHashMap<>();
    totals.put("totalActive", r.totalActive());
    totals.put("attributedActive", r.attributedActive());
    totals.put("unbookedActive", r.unbookedActive());
    totals.put("effective", r.effective());
    totals.put("external", r.external());
    totals.put("voucher", r.voucher());
    totals.put("verifiedEffective", r.verifiedEffective());
    totals.put("declaredEffective", r.declaredEffective());
    totals.put("maintenance", r.maintenance());
    totals.put("calibration", r.calibration());
    totals.put("training", r.training());
    Map<String, Object> hours = new LinkedHashMap<>();
    Map<String, Object> millis = new LinkedHashMap<>();
    totals.forEach(
        (name, h) -> {
          hours.put(name, hours(h.millis()));
          millis.put(name, h.millis());
        });
    out.put("hours", hours);
    out.put("millis", millis);
    out.put("sharingRate", r.sharingRate());
    out.put("sessions", r.sessions().stream().map(SessionViews::session).toList());
    List<Map<String, Object>> unbooked = new ArrayList<>();
    for (UnbookedUse x : r.unbooked()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("start", iso(x.startMillis()));
      m.put("end", iso(x.endMillis()));
      m.put("millis", x.durationMillis());
      m.put("hours", hours(x.durationMillis()));
      m.put("verifiedMillis", x.verifiedMillis());
      unbooked.add(m);
    }
    out.put("unbooked", unbooked);
    List<Map<String, Object>> noShows = new ArrayList<>();
    for (NoShow n : r.noShows()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("sessionId", n.sessionId());
      m.put("activeMillisInSession", n.activeMillisInSession());
      noShows.add(m);
    }
    out.put("noShows", noShows);
    List<Map<String, Object>> overruns = new ArrayList<>();
    for (Overrun o : r.overruns()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("sessionId", o.sessionId());
      m.put("sessionEnd", iso(o.sessionEndMillis()));
      m.put("runEnd", iso(o.runEndMillis()));
      m.put("overrunMillis", o.overrunMillis());
      overruns.add(m);
    }
    out.put("overruns", overruns);
    List<Map<String, Object>> issues = new ArrayList<>();
    for (AttributionIssue i : r.issues()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("sessionId", i.sessionId());
      m.put("field", i.field());
      m.put("code", i.code().name());
      m.put("message", i.message());
      issues.add(m);
    }
    out.put("issues", issues);
    return out;
  }

  private static Map<String, Object> session(SessionAttribution a) {
    UsageSession s = a.session();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("id", s.id());
    m.put("kind", s.kind().name());
    m.put("user", s.user());
    m.put("userEntityId", s.userEntityId());
    m.put("purpose", s.purpose().name());
    m.put("start", iso(a.startMillis()));
    m.put("end", iso(a.endMillis()));
    m.put("clipped", a.clipped());
    m.put("grade", a.grade().name());
    m.put("verified", a.grade().verified());
    m.put("verifiedTelemetry", a.verifiedTelemetry());
    put(m, "attributedActive", a.attributedActive());
    m.put("verifiedActiveMillis", a.verifiedActiveMillis());
    put(m, "prep", a.prepCredit());
    put(m, "post", a.postCredit());
    put(m, "effective", a.effective());
    put(m, "external", a.external());
    put(m, "voucher", a.voucher());
    put(m, "countedApart", a.countedApart());
    m.put("noShow", a.noShow());
    m.put("overrunMillis", a.overrunMillis());
    return m;
  }

  private static void put(Map<String, Object> m, String name, Hours h) {
    m.put(name + "Millis", h.millis());
    m.put(name + "Hours", hours(h.millis()));
  }

  private static double hours(long millis) {
    return Math.round(millis / 360.0) / 10_000.0;
  }

  private static String iso(long millis) {
    return Instant.ofEpochMilli(millis).toString();
  }
}
