package org.labmeter.metering.evidence;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.labmeter.metering.derive.EvidenceGap;
import org.labmeter.metering.derive.RunSession;
import org.labmeter.metering.derive.RunState;
import org.labmeter.metering.derive.StateSegment;
import org.labmeter.metering.derive.Usage;

/**
 * Compares the server's result with the offline one number by number, and says for each difference
 * where it comes from: the batches whose verified flag the server and the verifier see differently,
 * and the first sample time at which the two timelines part.
 */
final class UsageComparison {
  private static final int MAX_LISTED = 10;

  private UsageComparison() {}

  static List<Difference> differences(VerificationReport r) {
    EvidenceBundle b = r.bundle();
    ServerResult server = b.server();
    Usage s = server.usage();
    Usage o = r.offline();
    List<Difference> out = new ArrayList<>();
    add(out, "algorithmVersion", s.algorithmVersion(), o.algorithmVersion(), "");
    add(out, "profileVersion", server.profileVersion(), r.profile().version(), "");
    add(out, "parameterHash", s.parameterHash(), o.parameterHash(), "");
    add(out, "window.from", iso(s.fromMillis()), iso(o.fromMillis()), "");
    add(out, "window.to", iso(s.toMillis()), iso(o.toMillis()), "");
    add(
        out,
        "samplesRead",
        server.samplesRead(),
        r.offlineSamples(),
        r.gaps().isEmpty() ? "" : "see the chain gaps above");
    String batchesWhere = batchesWhere(r);
    for (RunState st : RunState.values()) {
      add(out, "millis." + st, s.durations().millis(st), o.durations().millis(st), "");
    }
    for (RunState st : RunState.values()) {
      add(
          out,
          "verifiedMillis." + st,
          s.verifiedDurations().millis(st),
          o.verifiedDurations().millis(st),
          batchesWhere);
    }
    add(out, "coverage", s.coverage(), o.coverage(), batchesWhere);
    sessions(out, s.sessions(), o.sessions());
    evidenceGaps(out, s.evidenceGaps(), o.evidenceGaps());
    timeline(out, r, s.timeline(), o.timeline());
    return out;
  }

  private static void add(
      List<Difference> out, String field, Object server, Object offline, String where) {
    if (!Objects.equals(server, offline)) {
      out.add(new Difference(field, String.valueOf(server), String.valueOf(offline), where));
    }
  }

  /** Names the batches the server stored as verified and the verifier does not, or the reverse. */
  private static String batchesWhere(VerificationReport r) {
    List<String> names = new ArrayList<>();
    for (BatchCheck c : r.checks()) {
      if (c.samplesInRange() > 0 && c.verified() != c.storedVerified()) {
        names.add(c.label());
      }
    }
    if (names.isEmpty()) {
      return r.gaps().isEmpty() ? "" : "see the chain gaps above";
    }
    return "verified differently by server and verifier: batch"
        + (names.size() == 1 ? " " : "es ")
        + String.join(", ", names.subList(0, Math.min(MAX_LISTED, names.size())))
        + (names.size() > MAX_LISTED ? " and " + (names.size() - MAX_LISTED) + " more" : "");
  }

  private static void sessions(List<Difference> out, List<RunSession> s, List<RunSession> o) {
    add(out, "sessions.count", s.size(), o.size(), "");
    int listed = 0;
    for (int i = 0; i < Math.min(s.size(), o.size()) && listed < MAX_LISTED; i++) {
      RunSession a = s.get(i);
      RunSession c = o.get(i);
      if (!a.equals(c)) {
        listed++;
        out.add(
            new Difference(
                "sessions[" + i + "]",
                session(a),
                session(c),
                "from " + iso(Math.min(a.startMillis(), c.startMillis()))));
      }
    }
  }

  private static String session(RunSession s) {
    return iso(s.startMillis())
        + ".."
        + iso(s.endMillis())
        + " active "
        + s.activeMillis()
        + " ms, verified "
        + s.verifiedActiveMillis()
        + " ms";
  }

  private static void evidenceGaps(List<Difference> out, List<EvidenceGap> s, List<EvidenceGap> o) {
    if (s.equals(o)) {
      return;
    }
    out.add(new Difference("evidenceGaps", gaps(s), gaps(o), ""));
  }

  private static String gaps(List<EvidenceGap> gaps) {
    if (gaps.isEmpty()) {
      return "none";
    }
    List<String> parts = new ArrayList<>();
    for (EvidenceGap g : gaps.subList(0, Math.min(MAX_LISTED, gaps.size()))) {
      parts.add(iso(g.startMillis()) + ".." + iso(g.endMillis()));
    }
    return "["
        + String.join(", ", parts)
        + (gaps.size() > MAX_LISTED ? ", " + (gaps.size() - MAX_LISTED) + " more" : "")
        + "]";
  }

  /** The first segment where the two timelines part, and which batch holds the samples there. */
  private static void timeline(
      List<Difference> out, VerificationReport r, List<StateSegment> s, List<StateSegment> o) {
    for (int i = 0; i < Math.max(s.size(), o.size()); i++) {
      StateSegment a = i < s.size() ? s.get(i) : null;
      StateSegment c = i < o.size() ? o.get(i) : null;
      if (a != null && a.equals(c)) {
        continue;
      }
      long at = a == null ? c.startMillis() : c == null ? a.startMillis() : firstDivergence(a, c);
      out.add(
          new Difference(
              "timeline[" + i + "]",
              segment(a),
              segment(c),
              "first difference at " + iso(at) + ": " + holder(r, at)));
      return;
    }
  }

  private static long firstDivergence(StateSegment a, StateSegment c) {
    if (a.startMillis() != c.startMillis()) {
      return Math.min(a.startMillis(), c.startMillis());
    }
    if (a.state() != c.state()) {
      return a.startMillis();
    }
    if (a.endMillis() != c.endMillis()) {
      return Math.min(a.endMillis(), c.endMillis());
    }
    return a.startMillis();
  }

  private static String segment(StateSegment s) {
    return s == null
        ? "none"
        : s.state()
            + " "
            + iso(s.startMillis())
            + ".."
            + iso(s.endMillis())
            + " (verified "
            + s.verifiedMillis()
            + " ms)";
  }

  /** The batch whose sample holds {@code at} (the last at or before it), or the gap there. */
  private static String holder(VerificationReport r, long at) {
    BatchCheck best = null;
    for (BatchCheck c : r.checks()) {
      if (c.decoded()
          && c.samplesInRange() > 0
          && c.firstTimestampMillis() <= at
          && (best == null || c.firstTimestampMillis() > best.firstTimestampMillis())) {
        best = c;
      }
    }
    for (ChainGap g : r.gaps()) {
      if (g.afterMillis() <= at && at < g.beforeMillis()) {
        return "no bundled batch holds samples there: "
            + g.agentId()
            + " "
            + g.sequences()
            + " missing between "
            + (g.afterMillis() < 0 ? "the start" : iso(g.afterMillis()))
            + " and "
            + iso(g.beforeMillis());
      }
    }
    if (best == null) {
      return "no bundled batch holds samples at or before it";
    }
    return "samples of batch "
        + best.label()
        + (best.problem() == null ? " (checks passed)" : " (" + best.problem() + ")");
  }

  static String iso(long millis) {
    return Instant.ofEpochMilli(millis).toString();
  }
}
