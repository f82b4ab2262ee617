package org.labmeter.metering.live;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.labmeter.metering.derive.RunState;
import org.labmeter.metering.ledger.LedgerDay;
import org.labmeter.metering.ledger.LedgerRepository;
import org.labmeter.metering.ledger.LedgerService;
import org.labmeter.metering.ledger.LedgerTotals;
import org.labmeter.metering.registry.Facility;
import org.labmeter.metering.registry.Instrument;
import org.labmeter.metering.registry.Registry;
import org.labmeter.metering.store.FleetReader;

/**
 * The fleet overview in a fixed number of store questions, whatever the fleet's size: the
 * registry's instruments and facilities, the hub's live snapshot (in memory), this week's ledger
 * days (one query) and every sparkline (one grouped query, kept for {@link #SPARK_TTL}).
 */
public final class FleetService {
  public static final Duration SPARK_WINDOW = Duration.ofHours(1);
  public static final Duration SPARK_BUCKET = Duration.ofMinutes(1);
  static final Duration SPARK_TTL = Duration.ofSeconds(15);

  private final Registry registry;
  private final LedgerRepository ledger;
  private final FleetReader fleet;
  private final LiveHub hub;
  private final double coverageThreshold;
  private final long staleAfterMillis;
  private volatile Sparks sparks;

  private record Sparks(long fromMillis, long readAtMillis, Map<String, double[]> watts) {}

  public FleetService(
      Registry registry,
      FleetReader fleet,
      LiveHub hub,
      double coverageThreshold,
      Duration staleAfter) {
    this.registry = registry;
    this.ledger = new LedgerRepository(registry.dataSource());
    this.fleet = fleet;
    this.hub = hub;
    this.coverageThreshold = coverageThreshold;
    this.staleAfterMillis = staleAfter.toMillis();
  }

  /** The overview of the instruments whose managing unit {@code canRead} accepts. */
  public Map<String, Object> fleet(Predicate<String> canRead, Instant now) {
    long nowMs = now.toEpochMilli();
    LocalDate today = LedgerService.dayOf(nowMs);
    LocalDate monday = today.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
    Map<String, List<LedgerDay>> days = new HashMap<>();
    for (LedgerDay d : ledger.allDays(monday, today)) {
      days.computeIfAbsent(d.instrumentId(), k -> new ArrayList<>()).add(d);
    }
    Map<String, LiveView> live = hub.snapshot();
    Sparks s = sparks(nowMs);
    Map<String, Integer> counts = new LinkedHashMap<>();
    for (RunState st : RunState.values()) {
      counts.put(st.name(), 0);
    }
    int alerts = 0;
    List<Map<String, Object>> out = new ArrayList<>();
    for (Instrument i : registry.instruments()) {
      if (!canRead.test(i.facilityId())) {
        continue;
      }
      LiveView v = live.get(i.id());
      List<LedgerDay> mine = days.getOrDefault(i.id(), List.of());
      Map<String, Object> todayView = period(mine, today, today, nowMs);
      Map<String, Object> weekView = period(mine, monday, today, nowMs);
      List<Map<String, Object>> alertList = alerts(v, weekView);
      alerts += alertList.isEmpty() ? 0 : 1;
      RunState state = v == null ? RunState.UNKNOWN : v.state();
      counts.merge(state.name(), 1, Integer::sum);
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("id", i.id());
      row.put("facilityId", i.facilityId());
      row.put("name", i.name());
      row.put("nameZh", i.nameZh());
      row.put("model", i.model());
      row.put("assetNo", i.assetNo());
      row.put("live", FleetJson.live(v, state));
      row.put("today", todayView);
      row.put("week", weekView);
      row.put("sparkline", FleetJson.watts(s.watts().get(i.id()), sparkPoints()));
      row.put("alerts", alertList);
      out.add(row);
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("at", now.toString());
    body.put("liveAt", hub.snapshotAtMillis() < 0 ? null : hub.snapshotAtMillis());
    body.put("staleAfterSeconds", staleAfterMillis / 1000);
    body.put("coverageThreshold", coverageThreshold);
    body.put("today", FleetJson.window(today, nowMs));
    body.put("week", FleetJson.window(monday, nowMs));
    body.put(
        "sparkline",
        Map.of(
            "from", Instant.ofEpochMilli(s.fromMillis()).toString(),
            "bucketSeconds", SPARK_BUCKET.toSeconds(),
            "points", sparkPoints()));
    counts.put("total", out.size());
    counts.put("alerts", alerts);
    body.put("counts", counts);
    List<Map<String, Object>> facilities = new ArrayList<>();
    for (Facility f : registry.facilities()) {
      if (canRead.test(f.id())) {
        facilities.add(Map.of("id", f.id(), "name", f.name(), "nameZh", nz(f.nameZh())));
      }
    }
    body.put("facilities", facilities);
    body.put("instruments", out);
    return body;
  }

  private static String nz(String s) {
    return s == null ? "" : s;
  }

  private static int sparkPoints() {
    return (int) (SPARK_WINDOW.toMillis() / SPARK_BUCKET.toMillis());
  }

  private Sparks sparks(long nowMs) {
    Sparks s = sparks;
    if (s == null || nowMs - s.readAtMillis() >= SPARK_TTL.toMillis() || nowMs < s.readAtMillis()) {
      long bucket = SPARK_BUCKET.toMillis();
      long to = (nowMs / bucket + 1) * bucket;
      long from = to - SPARK_WINDOW.toMillis();
      s = new Sparks(from, nowMs, fleet.powerBuckets(from, to, bucket));
      sparks = s;
    }
    return s;
  }

  /**
   * ACTIVE hours and utilisation over the ledger days [from, to], elapsed time counted up to the
   * moment today's row was computed.
   */
  private static Map<String, Object> period(
      List<LedgerDay> days, LocalDate from, LocalDate to, long nowMs) {
    LedgerTotals sum = LedgerTotals.ZERO;
    long computedAt = -1;
    boolean any = false;
    for (LedgerDay d : days) {
      if (!d.date().isBefore(from) && !d.date().isAfter(to)) {
        sum = sum.plus(d.totals());
        any = true;
        if (d.date().equals(to)) {
          computedAt = d.computedAt().toEpochMilli();
        }
      }
    }
    long start = FleetJson.startMillis(from);
    long upTo = Math.min(nowMs, computedAt < 0 ? FleetJson.startMillis(to) : computedAt);
    long elapsed = Math.max(0, upTo - start);
    long known = sum.offMs() + sum.standbyMs() + sum.activeMs() + sum.faultMs();
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("activeHours", any ? FleetJson.round(sum.activeMs() / 3_600_000.0, 2) : null);
    m.put(
        "utilisation",
        any && elapsed > 0 ? FleetJson.round((double) sum.activeMs() / elapsed, 4) : null);
    m.put(
        "telemetryCoverage",
        any && elapsed > 0 ? FleetJson.round(Math.min(1.0, (double) known / elapsed), 4) : null);
    m.put(
        "evidenceCoverage", any && sum.activeMs() > 0 ? FleetJson.round(sum.coverage(), 4) : null);
    m.put("computedAt", computedAt < 0 ? null : Instant.ofEpochMilli(computedAt).toString());
    return m;
  }

  private List<Map<String, Object>> alerts(LiveView v, Map<String, Object> week) {
    List<Map<String, Object>> out = new ArrayList<>();
    if (v == null || v.lastSampleMillis() < 0) {
      out.add(FleetJson.alert("NO_DATA", "no telemetry received"));
    } else if (!v.fresh()) {
      out.add(
          FleetJson.alert(
              "STALE",
              "agent offline or data stale since " + Instant.ofEpochMilli(v.lastSampleMillis())));
    }
    Object tc = week.get("telemetryCoverage");
    if (tc instanceof Double c && c < coverageThreshold) {
      out.add(
          FleetJson.alert("LOW_TELEMETRY_COVERAGE", "telemetry covers " + pct(c) + " of the week"));
    }
    Object ec = week.get("evidenceCoverage");
    if (ec instanceof Double c && c < coverageThreshold) {
      out.add(
          FleetJson.alert(
              "LOW_EVIDENCE_COVERAGE", "signed evidence covers " + pct(c) + " of ACTIVE time"));
    }
    return out;
  }

  private static String pct(double c) {
    return Math.round(c * 1000) / 10.0 + " %";
  }
}
