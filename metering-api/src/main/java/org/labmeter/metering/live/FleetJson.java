package org.labmeter.metering.live;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.labmeter.metering.derive.RunState;
import org.labmeter.metering.ledger.LedgerService;

/** The JSON pieces of the fleet overview. */
final class FleetJson {
  private FleetJson() {}

  static Map<String, Object> live(LiveView v, RunState state) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("state", state.name());
    m.put("since", v == null || v.sinceMillis() < 0 ? null : iso(v.sinceMillis()));
    m.put("powerW", v == null || Double.isNaN(v.powerW()) ? null : round(v.powerW(), 1));
    m.put("lastSample", v == null || v.lastSampleMillis() < 0 ? null : iso(v.lastSampleMillis()));
    m.put("fresh", v != null && v.fresh());
    return m;
  }

  static List<Double> watts(double[] w, int points) {
    List<Double> out = new ArrayList<>(points);
    for (int k = 0; k < points; k++) {
      out.add(w == null || k >= w.length || Double.isNaN(w[k]) ? null : round(w[k], 1));
    }
    return out;
  }

  static Map<String, Object> window(LocalDate from, long nowMs) {
    long start = FleetJson.startMillis(from);
    return Map.of(
        "from", iso(start), "elapsedHours", round(Math.max(0, nowMs - start) / 3_600_000.0, 2));
  }

  static Map<String, Object> alert(String code, String message) {
    return Map.of("code", code, "message", message);
  }

  static double round(double v, int digits) {
    double f = Math.pow(10, digits);
    return Math.round(v * f) / f;
  }

  static long startMillis(LocalDate day) {
    return day.atStartOfDay(LedgerService.ZONE).toInstant().toEpochMilli();
  }

  static String iso(long millis) {
    return Instant.ofEpochMilli(millis).toString();
  }
}
