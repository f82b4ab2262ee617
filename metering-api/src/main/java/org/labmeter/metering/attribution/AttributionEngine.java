package org.labmeter.metering.attribution;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.labmeter.metering.attribution.SessionScreen.Candidate;
import org.labmeter.metering.derive.RunState;
import org.labmeter.metering.derive.StateDurations;
import org.labmeter.metering.derive.StateSegment;
import org.labmeter.metering.derive.Usage;

/**
 * Attributes one instrument's derived ACTIVE time to its usage sessions over a window, and
 * reconciles the two. Plain Java with no I/O or clock: the same timeline, sessions and policy
 * always give the same result. The rules are in docs/attribution.md; in short:
 *
 * <ul>
 *   <li>each ACTIVE millisecond goes to at most one session: of those covering it, the one that
 *       started first (then by {@link SessionKind} order, then by input row);
 *   <li>preparation is credited only from the session's own non-ACTIVE time before its first
 *       attributed ACTIVE millisecond, post-processing only from its non-ACTIVE time after the last
 *       one; each is the least of declared, capped and that room;
 *   <li>effective = attributed ACTIVE + prep + post for effective purposes; external = effective
 *       for an external user and a NORMAL purpose; voucher = external with a redeemed voucher.
 * </ul>
 */
public final class AttributionEngine {
  /** Names these rules in every result; change it whenever a rule changes. */
  public static final String ALGORITHM_VERSION = "lm-attribute/1";

  private AttributionEngine() {}

  /** Attributes over the derived usage's own window and timeline. */
  public static AttributionResult attribute(
      Usage usage, String managingEntityId, List<UsageSession> sessions, AttributionPolicy policy) {
    Objects.requireNonNull(usage, "usage");
    return attribute(
        usage.timeline(), usage.fromMillis(), usage.toMillis(), managingEntityId, sessions, policy);
  }

  /**
   * Attributes over [fromMillis, toMillis). Time the timeline does not cover is UNKNOWN.
   *
   * @throws IllegalArgumentException when {@code toMillis < fromMillis} or the timeline's segments
   *     are out of order or overlap (a derived timeline never is)
   */
  public static AttributionResult attribute(
      List<StateSegment> timeline,
      long fromMillis,
      long toMillis,
      String managingEntityId,
      List<UsageSession> sessions,
      AttributionPolicy policy) {
    Objects.requireNonNull(timeline, "timeline");
    Objects.requireNonNull(managingEntityId, "managingEntityId");
    Objects.requireNonNull(sessions, "sessions");
    Objects.requireNonNull(policy, "policy");
    if (toMillis < fromMillis) {
      throw new IllegalArgumentException(
          "toMillis (" + toMillis + ") must not be before fromMillis (" + fromMillis + ")");
    }
    ClippedTimeline tl = ClippedTimeline.of(timeline, fromMillis, toMillis);
    SessionScreen.Outcome screened = SessionScreen.screen(sessions, fromMillis, toMillis);
    List<Candidate> kept = screened.kept();
    ActiveAllocation alloc = ActiveAllocation.sweep(tl, kept);

    Map<Long, UnbookedUse> unbookedByStart = new HashMap<>();
    for (UnbookedUse u : alloc.unbooked) {
      unbookedByStart.put(u.startMillis(), u);
    }
    Totals totals = new Totals();
    List<SessionAttribution> rows = new ArrayList<>(kept.size());
    List<NoShow> noShows = new ArrayList<>();
    List<Overrun> overruns = new ArrayList<>();
    for (int i = 0; i < kept.size(); i++) {
      Candidate c = kept.get(i);
      long overrunEnd = overrunEnd(tl, c, unbookedByStart);
      SessionAttribution row = session(tl, c, alloc, i, managingEntityId, policy, overrunEnd);
      rows.add(row);
      totals.add(row);
      if (row.noShow()) {
        noShows.add(new NoShow(c.row(), c.session().id(), row.inSession().activeMillis()));
      }
      if (row.overrunMillis() > policy.overrunTolerance().toMillis()) {
        overruns.add(new Overrun(c.row(), c.session().id(), c.end(), overrunEnd));
      }
    }
    long totalActive = tl.totals()[RunState.ACTIVE.ordinal()];
    long unbookedActive = 0;
    for (UnbookedUse u : alloc.unbooked) {
      unbookedActive += u.durationMillis();
    }
    return new AttributionResult(
        fromMillis,
        toMillis,
        managingEntityId,
        Hours.ofMillis(totalActive),
        Hours.ofMillis(totals.attributed),
        Hours.ofMillis(unbookedActive),
        Hours.ofMillis(totals.effective),
        Hours.ofMillis(totals.external),
        Hours.ofMillis(totals.voucher),
        Hours.ofMillis(totals.verifiedEffective),
        Hours.ofMillis(totals.effective - totals.verifiedEffective),
        Hours.ofMillis(totals.apart(PurposeCategory.MAINTENANCE)),
        Hours.ofMillis(totals.apart(PurposeCategory.CALIBRATION)),
        Hours.ofMillis(totals.apart(PurposeCategory.TRAINING)),
        durations(alloc.union),
        rows,
        alloc.unbooked,
        noShows,
        overruns,
        screened.issues(),
        ALGORITHM_VERSION);
  }

  private static SessionAttribution session(
      ClippedTimeline tl,
      Candidate c,
      ActiveAllocation alloc,
      int i,
      String managingEntityId,
      AttributionPolicy policy,
      long overrunEnd) {
    UsageSession s = c.session();
    long active = alloc.attributed[i];
    long verified = alloc.verified[i];
    long prep = 0;
    long post = 0;
    if (active > 0 && s.purpose().effective()) {
      long first = alloc.firstActive[i];
      long last = alloc.lastActiveEnd[i];
      long prepRoom = (first - c.start()) - tl.activeMillisIn(c.start(), first);
      long postRoom = (c.end() - last) - tl.activeMillisIn(last, c.end());
      prep = Math.min(Math.min(s.prepMillis(), policy.prepCap().toMillis()), prepRoom);
      post = Math.min(Math.min(s.postMillis(), policy.postCap().toMillis()), postRoom);
    }
    long effective = s.purpose().effective() ? active + prep + post : 0;
    boolean externalUser = !s.userEntityId().equals(managingEntityId);
    long external = externalUser && s.purpose().shareable() ? effective : 0;
    long voucher = s.voucherUsed() ? external : 0;
    boolean verifiedTelemetry = active > 0 && (double) verified / active >= policy.verifiedShare();
    Grade grade =
        !verifiedTelemetry ? Grade.C : s.invoiced() || s.voucherUsed() ? Grade.A : Grade.B;
    StateDurations inSession = durations(alloc.inSession[i]);
    return new SessionAttribution(
        c.row(),
        s,
        c.start(),
        c.end(),
        c.clipped(),
        inSession,
        Hours.ofMillis(active),
        verified,
        Hours.ofMillis(prep),
        Hours.ofMillis(post),
        Hours.ofMillis(effective),
        Hours.ofMillis(external),
        Hours.ofMillis(voucher),
        Hours.ofMillis(s.purpose().effective() ? 0 : active),
        verifiedTelemetry,
        grade,
        inSession.activeMillis() < policy.noShowThreshold().toMillis(),
        overrunEnd - c.end());
  }

  /**
   * Where the unbooked ACTIVE stretch starting right at the session's end ends, when the run was
   * ACTIVE in the session's last millisecond; the session's end when there is none. A session cut
   * by the window's end has no overrun in this window.
   */
  private static long overrunEnd(
      ClippedTimeline tl, Candidate c, Map<Long, UnbookedUse> unbookedByStart) {
    if (c.end() <= c.start() || c.end() != c.session().endMillis()) {
      return c.end();
    }
    UnbookedUse after = unbookedByStart.get(c.end());
    if (after == null || tl.stateAt(c.end() - 1) != RunState.ACTIVE) {
      return c.end();
    }
    return after.endMillis();
  }

  private static StateDurations durations(long[] byOrdinal) {
    return new StateDurations(
        byOrdinal[RunState.OFF.ordinal()],
        byOrdinal[RunState.STANDBY.ordinal()],
        byOrdinal[RunState.ACTIVE.ordinal()],
        byOrdinal[RunState.FAULT.ordinal()],
        byOrdinal[RunState.UNKNOWN.ordinal()]);
  }

  /** Running sums over the sessions. */
  private static final class Totals {
    long attributed;
    long effective;
    long external;
    long voucher;
    long verifiedEffective;
    final long[] apart = new long[PurposeCategory.values().length];

    void add(SessionAttribution row) {
      attributed += row.attributedActive().millis();
      effective += row.effective().millis();
      external += row.external().millis();
      voucher += row.voucher().millis();
      if (row.grade().verified()) {
        verifiedEffective += row.effective().millis();
      }
      apart[row.session().purpose().ordinal()] += row.countedApart().millis();
    }

    long apart(PurposeCategory purpose) {
      return apart[purpose.ordinal()];
    }
  }
}
