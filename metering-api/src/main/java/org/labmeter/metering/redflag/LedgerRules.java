package org.labmeter.metering.redflag;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.labmeter.metering.ledger.LedgerDay;

/**
 * The rules that need only the daily ledger (so they scale to a year of many instruments): ACTIVE
 * around the clock, unbooked ACTIVE time, external hours bunched before the deadline. Pure: rows
 * in, flags out.
 */
public final class LedgerRules {
  private static final double HOUR = 3_600_000.0;

  private LedgerRules() {}

  /**
   * Every ledger rule over the rows of one instrument for the period [from, to] (both inclusive;
   * days missing from the rows count as zero).
   */
  public static List<RedFlag> check(
      String instrumentId, List<LedgerDay> days, LocalDate from, LocalDate to, RedFlagPolicy p) {
    List<RedFlag> out = new ArrayList<>();
    out.addAll(aroundTheClock(instrumentId, days, p));
    unbooked(instrumentId, days, from, to, p, out);
    deadline(instrumentId, days, from, to, p, out);
    return out;
  }

  /** Runs of at least {@code aroundTheClockMinDays} consecutive days each ACTIVE that long. */
  static List<RedFlag> aroundTheClock(String id, List<LedgerDay> days, RedFlagPolicy p) {
    List<RedFlag> out = new ArrayList<>();
    long min = p.aroundTheClockMinActive().toMillis();
    List<LedgerDay> run = new ArrayList<>();
    for (LedgerDay d : sorted(days)) {
      boolean busy = d.totals().activeMs() >= min;
      boolean next = !run.isEmpty() && run.get(run.size() - 1).date().plusDays(1).equals(d.date());
      if (busy && (run.isEmpty() || next)) {
        run.add(d);
        continue;
      }
      closeRun(id, run, p, out);
      run.clear();
      if (busy) {
        run.add(d);
      }
    }
    closeRun(id, run, p, out);
    return out;
  }

  private static void closeRun(String id, List<LedgerDay> run, RedFlagPolicy p, List<RedFlag> out) {
    if (run.size() < p.aroundTheClockMinDays()) {
      return;
    }
    long active = 0;
    long least = Long.MAX_VALUE;
    for (LedgerDay d : run) {
      active += d.totals().activeMs();
      least = Math.min(least, d.totals().activeMs());
    }
    LocalDate first = run.get(0).date();
    LocalDate last = run.get(run.size() - 1).date();
    out.add(
        new RedFlag(
            RedFlagRule.AROUND_THE_CLOCK,
            id,
            start(first),
            start(last.plusDays(1)),
            "ACTIVE at least "
                + hours(p.aroundTheClockMinActive().toMillis())
                + " h on each of "
                + run.size()
                + " consecutive days ("
                + first
                + " to "
                + last
                + ")",
            Map.of(
                "days", (double) run.size(),
                "activeHours", active / HOUR,
                "leastActiveHoursInADay", least / HOUR),
            Map.of(
                "minActiveHoursPerDay",
                p.aroundTheClockMinActive().toMillis() / HOUR,
                "minDays",
                (double) p.aroundTheClockMinDays())));
  }

  private static void unbooked(
      String id,
      List<LedgerDay> days,
      LocalDate from,
      LocalDate to,
      RedFlagPolicy p,
      List<RedFlag> out) {
    long active = 0;
    long unbooked = 0;
    for (LedgerDay d : days) {
      active += d.totals().activeMs();
      unbooked += d.totals().unbookedMs();
    }
    if (active < p.unbookedMinActive().toMillis()) {
      return;
    }
    double share = (double) unbooked / active;
    if (share > p.unbookedMaxShare()) {
      out.add(
          new RedFlag(
              RedFlagRule.UNBOOKED_ACTIVE,
              id,
              start(from),
              start(to.plusDays(1)),
              String.format(
                  "%.1f %% of ACTIVE time is covered by no session (%.1f of %.1f h)",
                  share * 100, unbooked / HOUR, active / HOUR),
              Map.of(
                  "unbookedHours", unbooked / HOUR,
                  "activeHours", active / HOUR,
                  "unbookedShare", share),
              Map.of(
                  "maxUnbookedShare",
                  p.unbookedMaxShare(),
                  "minActiveHours",
                  p.unbookedMinActive().toMillis() / HOUR)));
    }
  }

  private static void deadline(
      String id,
      List<LedgerDay> days,
      LocalDate from,
      LocalDate to,
      RedFlagPolicy p,
      List<RedFlag> out) {
    LocalDate lastFrom = to.plusDays(1).minusWeeks(p.deadlineWeeks());
    if (!lastFrom.isAfter(from)) {
      return; // the period is no longer than the watched weeks
    }
    long external = 0;
    long late = 0;
    for (LedgerDay d : days) {
      if (d.date().isBefore(from) || d.date().isAfter(to)) {
        continue;
      }
      external += d.totals().externalMs();
      if (!d.date().isBefore(lastFrom)) {
        late += d.totals().externalMs();
      }
    }
    if (external < p.deadlineMinExternal().toMillis()) {
      return;
    }
    double share = (double) late / external;
    if (share > p.deadlineMaxShare()) {
      out.add(
          new RedFlag(
              RedFlagRule.DEADLINE_BUNCHING,
              id,
              start(lastFrom),
              start(to.plusDays(1)),
              String.format(
                  "%.1f %% of the period's external hours fall in its last %d weeks (%.1f of %.1f h)",
                  share * 100, p.deadlineWeeks(), late / HOUR, external / HOUR),
              Map.of(
                  "externalHoursInLastWeeks", late / HOUR,
                  "externalHours", external / HOUR,
                  "share", share),
              Map.of(
                  "weeks",
                  (double) p.deadlineWeeks(),
                  "maxShare",
                  p.deadlineMaxShare(),
                  "minExternalHours",
                  p.deadlineMinExternal().toMillis() / HOUR)));
    }
  }

  private static List<LedgerDay> sorted(List<LedgerDay> days) {
    List<LedgerDay> s = new ArrayList<>(days);
    s.sort((a, b) -> a.date().compareTo(b.date()));
    return s;
  }

  static long start(LocalDate d) {
    return d.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
  }

  private static String hours(long millis) {
    double h = millis / HOUR;
    return h == Math.rint(h) ? Long.toString((long) h) : Double.toString(h);
  }
}
