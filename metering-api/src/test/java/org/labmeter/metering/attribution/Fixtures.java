package org.labmeter.metering.attribution;

import java.util.List;
import java.util.function.Consumer;
import org.labmeter.metering.derive.RunState;
import org.labmeter.metering.derive.StateSegment;

/** Times written as clock times of one day (Monday 2025-03-03 UTC) and small builders. */
final class Fixtures {
  /** 2025-03-03T00:00:00Z. */
  static final long DAY0 = 1_740_960_000_000L;

  static final long MINUTE = 60_000L;
  static final long DAY = 24 * 60 * MINUTE;
  static final String UNIT = "unit-A";
  static final String FIRM = "firm-X";

  private Fixtures() {}

  /** Millis at hh:mm on day 0 (hh may exceed 23 for the next day). */
  static long at(int hh, int mm) {
    return DAY0 + (hh * 60L + mm) * MINUTE;
  }

  static long minutes(long m) {
    return m * MINUTE;
  }

  /** A fully verified segment. */
  static StateSegment seg(long from, long to, RunState state) {
    return new StateSegment(from, to, state, to - from);
  }

  /** A segment with the given verified millis. */
  static StateSegment seg(long from, long to, RunState state, long verifiedMillis) {
    return new StateSegment(from, to, state, verifiedMillis);
  }

  /** A NORMAL research session of {@code kind} by an internal user unless the spec says else. */
  static UsageSession session(
      String id, SessionKind kind, long from, long to, Consumer<UsageSession.Builder> more) {
    return UsageSession.create(
        b -> {
          b.id(id).kind(kind).start(from).end(to).user("user-" + id, UNIT);
          more.accept(b);
        });
  }

  static UsageSession booking(String id, long from, long to, Consumer<UsageSession.Builder> more) {
    return session(id, SessionKind.BOOKING, from, to, more);
  }

  /** The whole day [DAY0, DAY0 + 1 day) under the default policy. */
  static AttributionResult day(List<StateSegment> timeline, UsageSession... sessions) {
    return AttributionEngine.attribute(
        timeline, DAY0, DAY0 + DAY, UNIT, List.of(sessions), AttributionPolicy.DEFAULT);
  }
}
