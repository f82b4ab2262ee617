package org.labmeter.metering.derive;

import java.util.ArrayList;
import java.util.List;

/**
 * Step 4 of {@link StateDeriver}: folds the window's clipped intervals, fed in time order and
 * without holes, into totals, timeline, sessions and evidence gaps. Objects are made per segment,
 * session or gap, never per sample.
 */
final class UsageAccumulator {
  private static final int ACTIVE = RunState.ACTIVE.ordinal();

  private final long fromMillis;
  private final long[] millis = new long[RunState.values().length];
  private final long[] verifiedMillis = new long[RunState.values().length];
  private final List<StateSegment> timeline = new ArrayList<>();
  private final List<RunSession> sessions = new ArrayList<>();
  private final List<EvidenceGap> gaps = new ArrayList<>();

  private int segmentState = -1;
  private long segmentStart;
  private long segmentEnd;
  private long segmentVerified;

  private boolean sessionStartsBefore;
  private boolean gapOpen;
  private long gapStart;

  UsageAccumulator(long fromMillis) {
    this.fromMillis = fromMillis;
  }

  /**
   * Whether an ACTIVE stretch at the window's start belongs to a run that began before it; must be
   * set before the first {@link #add}.
   */
  void runContinuesFromBefore(boolean continues) {
    this.sessionStartsBefore = continues;
  }

  /** Adds [start, end) in {@code state}; {@code verified} when a verified sample holds it. */
  void add(long start, long end, int state, boolean verified) {
    long length = end - start;
    millis[state] += length;
    if (verified) {
      verifiedMillis[state] += length;
    }
    if (state == ACTIVE && !verified) {
      if (!gapOpen) {
        gapOpen = true;
        gapStart = start;
      }
    } else {
      closeGap(start);
    }
    if (state == segmentState) {
      segmentEnd = end;
      segmentVerified += verified ? length : 0;
      return;
    }
    closeSegment(false);
    segmentState = state;
    segmentStart = start;
    segmentEnd = end;
    segmentVerified = verified ? length : 0;
  }

  /**
   * Builds the result.
   *
   * @param runContinuesAfter whether an ACTIVE stretch at the window's end goes on after it
   */
  Usage finish(
      long toMillis, boolean runContinuesAfter, String algorithmVersion, List<ProfileSpan> spans) {
    closeGap(toMillis);
    closeSegment(runContinuesAfter);
    long active = millis[ACTIVE];
    double coverage = active == 0 ? 1.0 : (double) verifiedMillis[ACTIVE] / active;
    return new Usage(
        fromMillis,
        toMillis,
        StateDurations.of(millis),
        StateDurations.of(verifiedMillis),
        timeline,
        sessions,
        coverage,
        gaps,
        algorithmVersion,
        ProfileSchedule.combinedHash(spans),
        spans);
  }

  private void closeGap(long end) {
    if (gapOpen) {
      gaps.add(new EvidenceGap(gapStart, end));
      gapOpen = false;
    }
  }

  private void closeSegment(boolean runContinuesAfter) {
    if (segmentState < 0) {
      return;
    }
    timeline.add(
        new StateSegment(
            segmentStart, segmentEnd, RunState.ofOrdinal(segmentState), segmentVerified));
    if (segmentState == ACTIVE) {
      // A session is exactly an ACTIVE segment: adjacent segments never share a state.
      sessions.add(
          new RunSession(
              segmentStart,
              segmentEnd,
              segmentEnd - segmentStart,
              segmentVerified,
              segmentStart == fromMillis && sessionStartsBefore,
              runContinuesAfter));
    }
  }
}
