package org.labmeter.launcher.demo;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.labmeter.metering.derive.RunState;
import org.labmeter.metering.derive.Usage;
import org.labmeter.metering.usage.InstrumentUsage;
import org.labmeter.metering.usage.UsageService;

/** Waits until every demo instrument has derived hours, then prints them as a table. */
public final class FirstNumbers {
  private final UsageService usage;
  private final List<DemoInstrument> fleet;
  private final PrintStream out;

  private final BooleanSupplier caughtUp;

  /**
   * @param caughtUp whether the agents have delivered their history, so the numbers are complete
   */
  public FirstNumbers(
      UsageService usage, List<DemoInstrument> fleet, BooleanSupplier caughtUp, PrintStream out) {
    this.usage = usage;
    this.fleet = fleet;
    this.caughtUp = caughtUp;
    this.out = out;
  }

  /** Returns whether every instrument had its history in before {@code timeout}. */
  public boolean printWhenReady(Duration timeout, long startedNanos) {
    long deadline = System.nanoTime() + timeout.toNanos();
    List<InstrumentUsage> rows = List.of();
    while (System.nanoTime() < deadline) {
      boolean complete = caughtUp.getAsBoolean();
      rows = snapshot();
      if (complete && rows.stream().allMatch(r -> r.samplesRead() > 0)) {
        print(rows, startedNanos);
        return true;
      }
      try {
        TimeUnit.SECONDS.sleep(1);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    print(rows, startedNanos);
    return false;
  }

  private List<InstrumentUsage> snapshot() {
    Instant to = Instant.now();
    Instant from = to.minus(Duration.ofHours(24));
    List<InstrumentUsage> rows = new ArrayList<>();
    for (DemoInstrument d : fleet) {
      usage.usage(d.id(), from, to).ifPresent(rows::add);
    }
    return rows;
  }

  private void print(List<InstrumentUsage> rows, long startedNanos) {
    out.printf(
        "First derived numbers, last 24 h (%.1f s after start):%n",
        (System.nanoTime() - startedNanos) / 1e9);
    out.printf(
        "  %-12s %9s %9s %9s %9s %9s %9s %8s%n",
        "instrument",
        "active h",
        "standby h",
        "off h",
        "fault h",
        "unknown h",
        "coverage",
        "sessions");
    for (InstrumentUsage r : rows) {
      Usage u = r.usage();
      out.printf(
          "  %-12s %9.2f %9.2f %9.2f %9.2f %9.2f %8.1f%% %8d%n",
          r.instrument().id(),
          hours(u, RunState.ACTIVE),
          hours(u, RunState.STANDBY),
          hours(u, RunState.OFF),
          hours(u, RunState.FAULT),
          hours(u, RunState.UNKNOWN),
          100 * u.coverage(),
          u.sessions().size());
    }
    out.println("  (time without telemetry is UNKNOWN, never OFF; the page refreshes live)");
    out.println();
  }

  private static double hours(Usage u, RunState s) {
    return u.millis(s) / 3_600_000.0;
  }
}
