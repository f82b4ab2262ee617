package org.labmeter.metering.attribution;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;
import org.labmeter.metering.attribution.SessionScreen.Candidate;
import org.labmeter.metering.derive.RunState;

/**
 * One sweep over the window that gives every ACTIVE millisecond to at most one session: among the
 * sessions covering it, the one that started first (then by kind in {@link SessionKind} order, then
 * by input row). ACTIVE time covered by no session becomes unbooked use. The sweep cuts the window
 * at every segment and session boundary, so each piece has one state and one set of covering
 * sessions.
 */
final class ActiveAllocation {
  private static final int STATES = RunState.values().length;

  /** Per candidate, in the order given: attributed ACTIVE millis. */
  final long[] attributed;

  /** Per candidate: verified part of {@link #attributed}. */
  final long[] verified;

  /** Per candidate: first attributed ACTIVE instant, or {@code Long.MAX_VALUE} when none. */
  final long[] firstActive;

  /** Per candidate: end of the last attributed ACTIVE piece, or {@code Long.MIN_VALUE}. */
  final long[] lastActiveEnd;

  /** Per candidate: clock millis per state inside it, by {@link RunState} ordinal. */
  final long[][] inSession;

  /** Millis per state covered by at least one session. */
  final long[] union = new long[STATES];

  /** ACTIVE stretches covered by no session, merged, in time order. */
  final List<UnbookedUse> unbooked = new ArrayList<>();

  private ActiveAllocation(int candidates) {
    attributed = new long[candidates];
    verified = new long[candidates];
    firstActive = new long[candidates];
    lastActiveEnd = new long[candidates];
    inSession = new long[candidates][STATES];
    Arrays.fill(firstActive, Long.MAX_VALUE);
    Arrays.fill(lastActiveEnd, Long.MIN_VALUE);
  }

  static ActiveAllocation sweep(ClippedTimeline tl, List<Candidate> candidates) {
    int k = candidates.size();
    ActiveAllocation out = new ActiveAllocation(k);
    if (tl.size == 0) {
      return out;
    }
    long[] cuts = new long[tl.size + 1 + 2 * k];
    int n = 0;
    for (int i = 0; i < tl.size; i++) {
      cuts[n++] = tl.start[i];
    }
    cuts[n++] = tl.end[tl.size - 1];
    for (Candidate c : candidates) {
      cuts[n++] = c.start();
      cuts[n++] = c.end();
    }
    long[] points = Arrays.stream(cuts, 0, n).sorted().distinct().toArray();

    Integer[] byStart =
        nonEmpty(candidates, Comparator.comparingLong(i -> candidates.get(i).start()));
    Integer[] byEnd = nonEmpty(candidates, Comparator.comparingLong(i -> candidates.get(i).end()));
    Comparator<Integer> priority =
        Comparator.comparingLong((Integer i) -> candidates.get(i).session().startMillis())
            .thenComparing(i -> candidates.get(i).session().kind())
            .thenComparingInt(i -> candidates.get(i).row());
    TreeSet<Integer> covering = new TreeSet<>(priority);

    int nextStart = 0;
    int nextEnd = 0;
    int seg = 0;
    for (int p = 0; p + 1 < points.length; p++) {
      long a = points[p];
      long b = points[p + 1];
      while (nextStart < byStart.length && candidates.get(byStart[nextStart]).start() <= a) {
        covering.add(byStart[nextStart++]);
      }
      while (nextEnd < byEnd.length && candidates.get(byEnd[nextEnd]).end() <= a) {
        covering.remove(byEnd[nextEnd++]);
      }
      while (tl.end[seg] <= a) {
        seg++;
      }
      out.addPiece(tl, seg, a, b, covering);
    }
    return out;
  }

  private void addPiece(ClippedTimeline tl, int seg, long a, long b, TreeSet<Integer> covering) {
    long length = b - a;
    RunState state = tl.state[seg];
    int ordinal = state.ordinal();
    for (int c : covering) {
      inSession[c][ordinal] += length;
    }
    if (!covering.isEmpty()) {
      union[ordinal] += length;
    }
    if (state != RunState.ACTIVE) {
      return;
    }
    long pieceVerified = tl.verifiedBefore(seg, b) - tl.verifiedBefore(seg, a);
    if (covering.isEmpty()) {
      int last = unbooked.size() - 1;
      if (last >= 0 && unbooked.get(last).endMillis() == a) {
        UnbookedUse u = unbooked.get(last);
        unbooked.set(last, new UnbookedUse(u.startMillis(), b, u.verifiedMillis() + pieceVerified));
      } else {
        unbooked.add(new UnbookedUse(a, b, pieceVerified));
      }
      return;
    }
    int owner = covering.first();
    attributed[owner] += length;
    verified[owner] += pieceVerified;
    firstActive[owner] = Math.min(firstActive[owner], a);
    lastActiveEnd[owner] = b;
  }

  /** Indices of the candidates that span some time, in the given order. */
  private static Integer[] nonEmpty(List<Candidate> candidates, Comparator<Integer> order) {
    List<Integer> idx = new ArrayList<>();
    for (int i = 0; i < candidates.size(); i++) {
      if (candidates.get(i).end() > candidates.get(i).start()) {
        idx.add(i);
      }
    }
    idx.sort(order);
    return idx.toArray(new Integer[0]);
  }
}
