package org.labmeter.metering.redflag;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.OptionalDouble;
import org.labmeter.metering.derive.ObservationSeries;
import org.labmeter.metering.derive.ProfileSchedule;
import org.labmeter.metering.derive.StateDeriver;
import org.labmeter.metering.derive.Usage;
import org.labmeter.metering.ledger.LedgerDay;
import org.labmeter.metering.ledger.LedgerRepository;
import org.labmeter.metering.ledger.LedgerService;
import org.labmeter.metering.registry.Registry;
import org.labmeter.metering.store.EnergyReader;
import org.labmeter.metering.store.EnergyReading;
import org.labmeter.metering.store.SampleReader;
import org.labmeter.metering.usage.UsageService;

/**
 * Joins the inputs of the red-flag rules: the daily ledger for the ledger rules, and the samples
 * with their derivation (the same schedule and context margin as {@link UsageService}) for the
 * sample rules. Blocks on JDBC and the sample store; call it from a worker.
 */
public final class RedFlagService {
  /** The longest window the sample rules read (three months of 1 Hz samples fit in memory). */
  public static final Duration MAX_SAMPLE_WINDOW = Duration.ofDays(92);

  private final UsageService usage;
  private final SampleReader reader;
  private final LedgerRepository ledger;
  private final RedFlagPolicy policy;

  public RedFlagService(
      Registry registry, UsageService usage, SampleReader reader, RedFlagPolicy policy) {
    this.usage = usage;
    this.reader = reader;
    this.ledger = new LedgerRepository(registry.dataSource());
    this.policy = Objects.requireNonNull(policy, "policy");
  }

  public RedFlagPolicy policy() {
    return policy;
  }

  /** The ledger rules over the UTC days [from, to] (both inclusive). */
  public List<RedFlag> ledgerFlags(String instrumentId, LocalDate from, LocalDate to) {
    List<LedgerDay> days = ledger.days(instrumentId, from, to);
    return LedgerRules.check(instrumentId, days, from, to, policy);
  }

  /**
   * Every rule over [from, to): the ledger rules over the days it touches, the sample rules over
   * the window itself.
   *
   * @throws IllegalArgumentException when the window is empty or longer than {@link
   *     #MAX_SAMPLE_WINDOW}, or the instrument has no profile
   */
  public List<RedFlag> flags(
      String instrumentId, Instant from, Instant to, OptionalDouble declaredKwhPerActiveHour) {
    if (!from.isBefore(to)) {
      throw new IllegalArgumentException("from (" + from + ") must be before to (" + to + ")");
    }
    if (Duration.between(from, to).compareTo(MAX_SAMPLE_WINDOW) > 0) {
      throw new IllegalArgumentException(
          "a red-flag window may span at most " + MAX_SAMPLE_WINDOW.toDays() + " days");
    }
    ProfileSchedule schedule =
        usage
            .schedule(instrumentId)
            .orElseThrow(
                () ->
                    new IllegalArgumentException("instrument " + instrumentId + " has no profile"));
    long margin = UsageService.contextMarginMillis(schedule);
    long f = from.toEpochMilli();
    long t = to.toEpochMilli();
    ObservationSeries series = reader.read(instrumentId, f - margin, t + margin);
    Usage u = StateDeriver.derive(schedule, series, f, t);
    List<EnergyReading> energy =
        reader instanceof EnergyReader e ? e.energy(instrumentId, f, t) : List.of();
    List<RedFlag> out = new ArrayList<>();
    out.addAll(
        ledgerFlags(instrumentId, LedgerService.dayOf(f), LedgerService.dayOf(Math.max(f, t - 1))));
    out.addAll(
        SampleRules.check(instrumentId, series, u, energy, declaredKwhPerActiveHour, policy));
    out.sort(Comparator.comparingLong(RedFlag::fromMillis).thenComparing(RedFlag::rule));
    return out;
  }
}
