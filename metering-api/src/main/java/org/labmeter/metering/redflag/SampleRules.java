package org.labmeter.metering.redflag;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.TreeMap;
import org.labmeter.metering.derive.ObservationSeries;
import org.labmeter.metering.derive.RunSession;
import org.labmeter.metering.derive.RunState;
import org.labmeter.metering.derive.StateSegment;
import org.labmeter.metering.derive.Usage;
import org.labmeter.metering.store.EnergyReading;

/**
 * The rules that look at the samples behind a derivation: a dummy load's steady power, energy per
 * ACTIVE hour off the norm, a jump of the standby baseline, and an energy counter going backwards.
 * Pure: the series, its {@link Usage} over the window and the counter readings in, flags out. Each
 * sample interval gets the derived state of the window at its start, so the rules see exactly the
 * states the hours were counted in. Days are UTC days, as in the ledger.
 */
public final class SampleRules {
  private static final double HOUR = 3_600_000.0;
  private static final int MIN_SAMPLES = 10;

  private SampleRules() {}

  /**
   * Every sample rule over {@code usage}'s window.
   *
   * @param declaredKwhPerActiveHour the instrument's declared norm, or empty to use the median of
   *     its own days in the window
   */
  public static List<RedFlag> check(
      String instrumentId,
      ObservationSeries series,
      Usage usage,
      List<EnergyReading> energy,
      OptionalDouble declaredKwhPerActiveHour,
      RedFlagPolicy p) {
    Intervals in = Intervals.of(series, usage);
    List<RedFlag> out = new ArrayList<>();
    dummyLoad(instrumentId, in, usage, p, out);
    energyNorm(instrumentId, in, declaredKwhPerActiveHour, p, out);
    baseline(instrumentId, in, p, out);
    counterResets(instrumentId, energy, p, out);
    return out;
  }

  /** Each sample interval inside the window: start, length, state, power. */
  record Intervals(long[] start, long[] length, RunState[] state, double[] power, int size) {
    static Intervals of(ObservationSeries s, Usage u) {
      int n = s.size();
      long[] start = new long[n];
      long[] length = new long[n];
      RunState[] state = new RunState[n];
      double[] power = new double[n];
      List<StateSegment> timeline = u.timeline();
      int seg = 0;
      int k = 0;
      for (int i = 0; i < n; i++) {
        long a = Math.max(s.timestampMillis(i), u.fromMillis());
        long b = Math.min(i + 1 < n ? s.timestampMillis(i + 1) : u.toMillis(), u.toMillis());
        if (b <= a) {
          continue;
        }
        while (seg < timeline.size() && timeline.get(seg).endMillis() <= a) {
          seg++;
        }
        if (seg == timeline.size()) {
          break;
        }
        start[k] = a;
        length[k] = b - a;
        state[k] = timeline.get(seg).state();
        power[k] = s.powerW(i);
        k++;
      }
      return new Intervals(start, length, state, power, k);
    }
  }

  static void dummyLoad(String id, Intervals in, Usage u, RedFlagPolicy p, List<RedFlag> out) {
    long chunk = p.dummyLoadMinStretch().toMillis();
    int i = 0;
    for (RunSession run : u.sessions()) {
      if (run.endMillis() - run.startMillis() < chunk) {
        continue;
      }
      while (i < in.size() && in.start()[i] < run.startMillis()) {
        i++;
      }
      // consecutive chunks of minStretch inside the run; steady neighbours merge into one flag
      long flagFrom = -1;
      long flagTo = -1;
      Stats merged = new Stats();
      while (i < in.size() && in.start()[i] < run.endMillis()) {
        long chunkStart = in.start()[i];
        Stats s = new Stats();
        while (i < in.size()
            && in.start()[i] < run.endMillis()
            && in.start()[i] - chunkStart < chunk) {
          s.add(in.power()[i]);
          i++;
        }
        long chunkEnd = i < in.size() ? Math.min(in.start()[i], run.endMillis()) : run.endMillis();
        boolean steady =
            chunkEnd - chunkStart >= chunk && s.n >= MIN_SAMPLES && s.cv() < p.dummyLoadMaxCv();
        if (steady) {
          flagFrom = flagFrom < 0 ? chunkStart : flagFrom;
          flagTo = chunkEnd;
          merged.addAll(s);
        } else if (flagFrom >= 0) {
          out.add(dummy(id, flagFrom, flagTo, merged, p));
          flagFrom = -1;
          merged = new Stats();
        }
      }
      if (flagFrom >= 0) {
        out.add(dummy(id, flagFrom, flagTo, merged, p));
      }
    }
  }

  private static RedFlag dummy(String id, long from, long to, Stats s, RedFlagPolicy p) {
    return new RedFlag(
        RedFlagRule.DUMMY_LOAD,
        id,
        from,
        to,
        String.format(
            "ACTIVE for %.2f h at %.1f W with a coefficient of variation of %.5f: steadier than a"
                + " working instrument",
            (to - from) / HOUR, s.mean(), s.cv()),
        Map.of(
            "hours", (to - from) / HOUR,
            "meanW", s.mean(),
            "stdDevW", s.std(),
            "powerCv", s.cv(),
            "samples", (double) s.n),
        Map.of(
            "minStretchHours",
            p.dummyLoadMinStretch().toMillis() / HOUR,
            "maxPowerCv",
            p.dummyLoadMaxCv()));
  }

  static void energyNorm(
      String id, Intervals in, OptionalDouble declared, RedFlagPolicy p, List<RedFlag> out) {
    TreeMap<LocalDate, double[]> days = new TreeMap<>(); // {active ms, energy kWh}
    for (int i = 0; i < in.size(); i++) {
      if (in.state()[i] != RunState.ACTIVE || Double.isNaN(in.power()[i])) {
        continue;
      }
      double[] d = days.computeIfAbsent(day(in.start()[i]), k -> new double[2]);
      d[0] += in.length()[i];
      d[1] += in.power()[i] * in.length()[i] / 3.6e9;
    }
    days.values().removeIf(d -> d[0] < p.energyMinActive().toMillis());
    double norm;
    String basis;
    if (declared.isPresent()) {
      norm = declared.getAsDouble();
      basis = "declared";
    } else {
      if (days.size() < 3) {
        return; // too little history to have a norm
      }
      double[] values = days.values().stream().mapToDouble(d -> d[1] / (d[0] / HOUR)).toArray();
      Arrays.sort(values);
      int m = values.length / 2;
      norm = values.length % 2 == 1 ? values[m] : (values[m - 1] + values[m]) / 2;
      basis = "median of the instrument's own days";
    }
    if (!(norm > 0)) {
      return;
    }
    for (Map.Entry<LocalDate, double[]> e : days.entrySet()) {
      double activeH = e.getValue()[0] / HOUR;
      double perHour = e.getValue()[1] / activeH;
      double ratio = perHour / norm;
      if (ratio > p.energyMaxRatio() || ratio < 1 / p.energyMaxRatio()) {
        LocalDate d = e.getKey();
        out.add(
            new RedFlag(
                RedFlagRule.ENERGY_OFF_NORM,
                id,
                LedgerRules.start(d),
                LedgerRules.start(d.plusDays(1)),
                String.format(
                    "%s: %.3f kWh per ACTIVE hour, %.2f × the norm of %.3f (%s)",
                    d, perHour, ratio, norm, basis),
                Map.of(
                    "kwhPerActiveHour", perHour,
                    "activeHours", activeH,
                    "normKwhPerActiveHour", norm,
                    "ratio", ratio),
                Map.of(
                    "maxRatio",
                    p.energyMaxRatio(),
                    "minActiveHours",
                    p.energyMinActive().toMillis() / HOUR)));
      }
    }
  }

  static void baseline(String id, Intervals in, RedFlagPolicy p, List<RedFlag> out) {
    TreeMap<LocalDate, List<Double>> powers = new TreeMap<>();
    TreeMap<LocalDate, Long> standby = new TreeMap<>();
    for (int i = 0; i < in.size(); i++) {
      if (in.state()[i] != RunState.STANDBY || Double.isNaN(in.power()[i])) {
        continue;
      }
      LocalDate d = day(in.start()[i]);
      powers.computeIfAbsent(d, k -> new ArrayList<>()).add(in.power()[i]);
      standby.merge(d, in.length()[i], Long::sum);
    }
    LocalDate prevDay = null;
    double prev = Double.NaN;
    for (Map.Entry<LocalDate, List<Double>> e : powers.entrySet()) {
      if (standby.get(e.getKey()) < p.baselineMinStandby().toMillis()) {
        continue;
      }
      double median = median(e.getValue());
      if (prevDay != null) {
        double change = Math.abs(median - prev);
        if (change > p.baselineMinChangeW() && change > p.baselineMaxChange() * prev) {
          out.add(
              new RedFlag(
                  RedFlagRule.SIGNATURE_CHANGE,
                  id,
                  LedgerRules.start(prevDay),
                  LedgerRules.start(e.getKey().plusDays(1)),
                  String.format(
                      "standby baseline went from %.1f W (%s) to %.1f W (%s)",
                      prev, prevDay, median, e.getKey()),
                  Map.of("baselineBeforeW", prev, "baselineAfterW", median, "changeW", change),
                  Map.of(
                      "maxRelativeChange", p.baselineMaxChange(),
                      "minChangeW", p.baselineMinChangeW(),
                      "minStandbyHoursPerDay", p.baselineMinStandby().toMillis() / HOUR)));
        }
      }
      prevDay = e.getKey();
      prev = median;
    }
  }

  static void counterResets(
      String id, List<EnergyReading> energy, RedFlagPolicy p, List<RedFlag> out) {
    List<EnergyReading> r = new ArrayList<>(energy);
    r.removeIf(e -> !Double.isFinite(e.energyKwh()));
    r.sort((a, b) -> Long.compare(a.timestampMillis(), b.timestampMillis()));
    for (int i = 1; i < r.size(); i++) {
      double before = r.get(i - 1).energyKwh();
      double after = r.get(i).energyKwh();
      if (before - after > p.counterMinDropKwh()) {
        out.add(
            new RedFlag(
                RedFlagRule.COUNTER_RESET,
                id,
                r.get(i - 1).timestampMillis(),
                r.get(i).timestampMillis(),
                String.format(
                    "the energy counter fell from %.3f kWh to %.3f kWh between %s and %s",
                    before,
                    after,
                    Instant.ofEpochMilli(r.get(i - 1).timestampMillis()),
                    Instant.ofEpochMilli(r.get(i).timestampMillis())),
                Map.of("beforeKwh", before, "afterKwh", after, "dropKwh", before - after),
                Map.of("minDropKwh", p.counterMinDropKwh())));
      }
    }
  }

  private static LocalDate day(long millis) {
    return Instant.ofEpochMilli(millis).atZone(ZoneOffset.UTC).toLocalDate();
  }

  private static double median(List<Double> v) {
    double[] a = v.stream().mapToDouble(Double::doubleValue).toArray();
    Arrays.sort(a);
    int m = a.length / 2;
    return a.length % 2 == 1 ? a[m] : (a[m - 1] + a[m]) / 2;
  }

  /** Count, mean and variance of power (Welford), NaN values skipped. */
  private static final class Stats {
    int n;
    double mean;
    double m2;

    void add(double x) {
      if (Double.isNaN(x)) {
        return;
      }
      n++;
      double d = x - mean;
      mean += d / n;
      m2 += d * (x - mean);
    }

    void addAll(Stats o) {
      if (o.n == 0) {
        return;
      }
      int total = n + o.n;
      double d = o.mean - mean;
      m2 += o.m2 + d * d * n * o.n / total;
      mean += d * o.n / total;
      n = total;
    }

    double mean() {
      return mean;
    }

    double std() {
      return n < 2 ? 0 : Math.sqrt(m2 / n);
    }

    double cv() {
      return mean == 0 ? Double.POSITIVE_INFINITY : std() / Math.abs(mean);
    }
  }
}
