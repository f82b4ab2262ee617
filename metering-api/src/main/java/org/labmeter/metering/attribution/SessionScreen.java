package org.labmeter.metering.attribution;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.labmeter.metering.attribution.AttributionIssue.Code;

/**
 * Checks the input sessions against the window: drops rows that cannot be attributed, clips the
 * rest, and reports every finding as an {@link AttributionIssue} naming the row and field.
 */
final class SessionScreen {
  /** A session kept for attribution, with its bounds clipped to the window. */
  record Candidate(int row, UsageSession session, long start, long end, boolean clipped) {}

  /** What the screen kept and what it found. */
  record Outcome(List<Candidate> kept, List<AttributionIssue> issues) {}

  private SessionScreen() {}

  static Outcome screen(List<UsageSession> sessions, long from, long to) {
    List<Candidate> kept = new ArrayList<>();
    List<AttributionIssue> issues = new ArrayList<>();
    for (int row = 0; row < sessions.size(); row++) {
      UsageSession s = sessions.get(row);
      if (s.endMillis() < s.startMillis()) {
        issues.add(
            issue(
                row,
                s,
                "end",
                Code.END_BEFORE_START,
                "end " + s.endMillis() + " is before start " + s.startMillis()));
        continue;
      }
      if (s.endMillis() <= from || s.startMillis() >= to) {
        // A zero-length session on the window's start still lies inside it.
        boolean insideAtStart = s.startMillis() == s.endMillis() && s.startMillis() == from;
        if (!insideAtStart || from == to) {
          issues.add(
              issue(
                  row,
                  s,
                  s.endMillis() <= from ? "end" : "start",
                  Code.OUTSIDE_WINDOW,
                  "["
                      + s.startMillis()
                      + ", "
                      + s.endMillis()
                      + ") lies outside the window ["
                      + from
                      + ", "
                      + to
                      + ")"));
          continue;
        }
      }
      long a = Math.max(s.startMillis(), from);
      long b = Math.min(s.endMillis(), to);
      boolean clipped = a != s.startMillis() || b != s.endMillis();
      if (clipped) {
        issues.add(
            issue(
                row,
                s,
                a != s.startMillis() ? "start" : "end",
                Code.CLIPPED_TO_WINDOW,
                "["
                    + s.startMillis()
                    + ", "
                    + s.endMillis()
                    + ") clipped to ["
                    + a
                    + ", "
                    + b
                    + ") by the window"));
      }
      kept.add(new Candidate(row, s, a, b, clipped));
    }
    reportSameKindOverlaps(kept, issues);
    issues.sort(Comparator.comparingInt(AttributionIssue::row));
    return new Outcome(kept, issues);
  }

  /**
   * Per kind, in start order: a session that starts before the latest end seen so far overlaps the
   * session with that end. Each overlapping session is reported once, against one partner.
   */
  private static void reportSameKindOverlaps(List<Candidate> kept, List<AttributionIssue> issues) {
    Map<SessionKind, List<Candidate>> byKind = new EnumMap<>(SessionKind.class);
    for (Candidate c : kept) {
      byKind.computeIfAbsent(c.session().kind(), k -> new ArrayList<>()).add(c);
    }
    for (List<Candidate> sameKind : byKind.values()) {
      sameKind.sort(
          Comparator.comparingLong((Candidate c) -> c.session().startMillis())
              .thenComparingInt(Candidate::row));
      Candidate latest = null;
      for (Candidate c : sameKind) {
        UsageSession s = c.session();
        if (latest != null && s.startMillis() < latest.session().endMillis()) {
          issues.add(
              issue(
                  c.row(),
                  s,
                  "start",
                  Code.OVERLAPS_SAME_KIND,
                  "starts at "
                      + s.startMillis()
                      + ", before "
                      + s.kind()
                      + " "
                      + latest.session().id()
                      + " (row "
                      + latest.row()
                      + ") ends at "
                      + latest.session().endMillis()));
        }
        if (latest == null || s.endMillis() > latest.session().endMillis()) {
          latest = c;
        }
      }
    }
  }

  private static AttributionIssue issue(
      int row, UsageSession s, String field, Code code, String what) {
    return new AttributionIssue(
        row,
        s.id(),
        field,
        code,
        "session row " + row + " (" + s.id() + "): " + field + ": " + what);
  }
}
