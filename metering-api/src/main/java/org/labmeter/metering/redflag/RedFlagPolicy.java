package org.labmeter.metering.redflag;

import java.time.Duration;
import java.util.function.Consumer;

/**
 * The thresholds of every red-flag rule, typed and validated. Built through {@link #create}; {@code
 * build()} refuses bad values with a message naming the field and the allowed range. {@link
 * #DEFAULTS} are documented, with their reasons, in docs/red-flags.md.
 *
 * @param dummyLoadMinStretch an ACTIVE stretch at least this long is checked for steady power
 * @param dummyLoadMaxCv ... and flagged when its power's coefficient of variation is below this
 * @param aroundTheClockMinActive a day with at least this much ACTIVE time is "around the clock"
 * @param aroundTheClockMinDays ... and this many such days in a row raise the flag
 * @param unbookedMaxShare unbooked ÷ ACTIVE time above this raises the flag
 * @param unbookedMinActive ... once the window has at least this much ACTIVE time
 * @param deadlineWeeks the last weeks of a period watched for bunched external hours
 * @param deadlineMaxShare their share of the period's external hours above this raises the flag
 * @param deadlineMinExternal ... once the period has at least this many external hours
 * @param energyMaxRatio a day's kWh per ACTIVE hour above norm × this, or below norm ÷ this, is off
 *     the norm
 * @param energyMinActive only days with at least this much ACTIVE time are compared
 * @param baselineMaxChange a day's standby baseline (median STANDBY power) that differs from the
 *     previous day's by more than this fraction ...
 * @param baselineMinChangeW ... and by more than this many watts, is a signature change
 * @param baselineMinStandby only days with at least this much STANDBY time have a baseline
 * @param counterMinDropKwh an energy counter falling by more than this is a reset
 */
public record RedFlagPolicy(
    Duration dummyLoadMinStretch,
    double dummyLoadMaxCv,
    Duration aroundTheClockMinActive,
    int aroundTheClockMinDays,
    double unbookedMaxShare,
    Duration unbookedMinActive,
    int deadlineWeeks,
    double deadlineMaxShare,
    Duration deadlineMinExternal,
    double energyMaxRatio,
    Duration energyMinActive,
    double baselineMaxChange,
    double baselineMinChangeW,
    Duration baselineMinStandby,
    double counterMinDropKwh) {

  public static final RedFlagPolicy DEFAULTS = create(b -> {});

  public static RedFlagPolicy create(Consumer<Builder> spec) {
    Builder b = new Builder();
    spec.accept(b);
    return b.build();
  }

  /** Defaults as documented; every setter returns the builder. */
  public static final class Builder {
    private Duration dummyLoadMinStretch = Duration.ofHours(2);
    private double dummyLoadMaxCv = 0.005;
    private Duration aroundTheClockMinActive = Duration.ofHours(23);
    private int aroundTheClockMinDays = 3;
    private double unbookedMaxShare = 0.3;
    private Duration unbookedMinActive = Duration.ofHours(10);
    private int deadlineWeeks = 4;
    private double deadlineMaxShare = 0.4;
    private Duration deadlineMinExternal = Duration.ofHours(20);
    private double energyMaxRatio = 2.0;
    private Duration energyMinActive = Duration.ofHours(1);
    private double baselineMaxChange = 0.5;
    private double baselineMinChangeW = 20;
    private Duration baselineMinStandby = Duration.ofHours(1);
    private double counterMinDropKwh = 0.01;

    public Builder dummyLoad(Duration minStretch, double maxCv) {
      this.dummyLoadMinStretch = minStretch;
      this.dummyLoadMaxCv = maxCv;
      return this;
    }

    public Builder aroundTheClock(Duration minActivePerDay, int minDays) {
      this.aroundTheClockMinActive = minActivePerDay;
      this.aroundTheClockMinDays = minDays;
      return this;
    }

    public Builder unbooked(double maxShare, Duration minActive) {
      this.unbookedMaxShare = maxShare;
      this.unbookedMinActive = minActive;
      return this;
    }

    public Builder deadline(int weeks, double maxShare, Duration minExternal) {
      this.deadlineWeeks = weeks;
      this.deadlineMaxShare = maxShare;
      this.deadlineMinExternal = minExternal;
      return this;
    }

    public Builder energy(double maxRatio, Duration minActivePerDay) {
      this.energyMaxRatio = maxRatio;
      this.energyMinActive = minActivePerDay;
      return this;
    }

    public Builder baseline(double maxChange, double minChangeW, Duration minStandbyPerDay) {
      this.baselineMaxChange = maxChange;
      this.baselineMinChangeW = minChangeW;
      this.baselineMinStandby = minStandbyPerDay;
      return this;
    }

    public Builder counterMinDropKwh(double kwh) {
      this.counterMinDropKwh = kwh;
      return this;
    }

    public RedFlagPolicy build() {
      positive("dummyLoadMinStretch", dummyLoadMinStretch);
      fraction("dummyLoadMaxCv", dummyLoadMaxCv);
      positive("aroundTheClockMinActive", aroundTheClockMinActive);
      if (aroundTheClockMinActive.compareTo(Duration.ofHours(24)) > 0) {
        throw new IllegalArgumentException(
            "aroundTheClockMinActive must be at most 24 h, got " + aroundTheClockMinActive);
      }
      range("aroundTheClockMinDays", aroundTheClockMinDays, 1, 366);
      fraction("unbookedMaxShare", unbookedMaxShare);
      positive("unbookedMinActive", unbookedMinActive);
      range("deadlineWeeks", deadlineWeeks, 1, 26);
      fraction("deadlineMaxShare", deadlineMaxShare);
      positive("deadlineMinExternal", deadlineMinExternal);
      if (!(energyMaxRatio > 1) || !Double.isFinite(energyMaxRatio)) {
        throw new IllegalArgumentException(
            "energyMaxRatio must be a finite number above 1, got " + energyMaxRatio);
      }
      positive("energyMinActive", energyMinActive);
      fraction("baselineMaxChange", baselineMaxChange);
      nonNegative("baselineMinChangeW", baselineMinChangeW);
      positive("baselineMinStandby", baselineMinStandby);
      nonNegative("counterMinDropKwh", counterMinDropKwh);
      return new RedFlagPolicy(
          dummyLoadMinStretch,
          dummyLoadMaxCv,
          aroundTheClockMinActive,
          aroundTheClockMinDays,
          unbookedMaxShare,
          unbookedMinActive,
          deadlineWeeks,
          deadlineMaxShare,
          deadlineMinExternal,
          energyMaxRatio,
          energyMinActive,
          baselineMaxChange,
          baselineMinChangeW,
          baselineMinStandby,
          counterMinDropKwh);
    }

    private static void positive(String field, Duration d) {
      if (d == null || d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(field + " must be a positive duration, got " + d);
      }
    }

    private static void fraction(String field, double v) {
      if (!(v > 0 && v < 1)) {
        throw new IllegalArgumentException(
            field + " must be a fraction above 0 and below 1, got " + v);
      }
    }

    private static void nonNegative(String field, double v) {
      if (!(v >= 0) || !Double.isFinite(v)) {
        throw new IllegalArgumentException(field + " must be a finite number >= 0, got " + v);
      }
    }

    private static void range(String field, int v, int min, int max) {
      if (v < min || v > max) {
        throw new IllegalArgumentException(
            field + " must be between " + min + " and " + max + ", got " + v);
      }
    }
  }
}
