package org.labmeter.agent.simulate;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Families of simulated instruments with realistic power levels, and the derivation thresholds that
 * reproduce their ground truth. The levels hold for every sample, noise included: RUN (±3 %) always
 * stays above {@link #onThresholdW()}; STANDBY, WARMUP and IDLE always stay below {@link
 * #offThresholdW()}. The exceptions are short by construction: dips inside a run last less than
 * {@link #minOff()}, spikes in standby less than {@link #minOn()}.
 *
 * <p>{@link #NMR} is the case fixed global thresholds get wrong: its magnet and cryo-compressor
 * make it draw nearly as much on standby (3.2 kW) as when running (4.0 kW).
 */
public enum SimulatorKind {
  MASS_SPECTROMETER("mass-spectrometer", 5, 450, 900, 800, 1800, 1400, 1100, false, 0.25),
  NMR("nmr", 5, 3200, 3350, 3300, 4000, 3700, 3500, false, 0.02),
  ELECTRON_MICROSCOPE("electron-microscope", 8, 1200, 1800, 1500, 3000, 2500, 2000, false, 0.25),
  /** Reports its "X-RAY ON" run lamp as a run flag, which outranks power in derivation. */
  X_RAY_DIFFRACTOMETER("x-ray-diffractometer", 6, 600, 1500, 900, 2800, 2200, 1700, true, 0.25),
  ICP_MS("icp-ms", 5, 700, 1500, 1600, 2600, 2200, 1900, false, 0.25);

  /** Relative amplitude of the uniform noise on every power sample. */
  public static final double NOISE = 0.03;

  private static final Duration MIN_ON = Duration.ofSeconds(60);
  private static final Duration MIN_OFF = Duration.ofSeconds(60);
  private static final double OFF_BELOW_W = 50;

  private final String configName;
  private final double offW;
  private final double standbyW;
  private final double warmupW;
  private final double idleW;
  private final double runW;
  private final double onThresholdW;
  private final double offThresholdW;
  private final boolean reportsRunFlag;
  private final double offProbability;

  SimulatorKind(
      String configName,
      double offW,
      double standbyW,
      double warmupW,
      double idleW,
      double runW,
      double onThresholdW,
      double offThresholdW,
      boolean reportsRunFlag,
      double offProbability) {
    this.configName = configName;
    this.offW = offW;
    this.standbyW = standbyW;
    this.warmupW = warmupW;
    this.idleW = idleW;
    this.runW = runW;
    this.onThresholdW = onThresholdW;
    this.offThresholdW = offThresholdW;
    this.reportsRunFlag = reportsRunFlag;
    this.offProbability = offProbability;
  }

  /** The name used in configuration files, e.g. {@code mass-spectrometer}. */
  public String configName() {
    return configName;
  }

  public static Optional<SimulatorKind> fromConfigName(String name) {
    return Arrays.stream(values()).filter(k -> k.configName.equals(name)).findFirst();
  }

  public static List<String> configNames() {
    return Arrays.stream(values()).map(SimulatorKind::configName).toList();
  }

  /** Nominal power while measuring. */
  public double runPowerW() {
    return runW;
  }

  public double standbyPowerW() {
    return standbyW;
  }

  /** Nominal power of a state, before noise. */
  public double nominalPowerW(InstrumentState state) {
    return switch (state) {
      case OFF -> offW;
      case STANDBY -> standbyW;
      case WARMUP -> warmupW;
      case IDLE -> idleW;
      case RUN -> runW;
    };
  }

  /** Recommended T_on: every RUN sample, noise included, exceeds it. */
  public double onThresholdW() {
    return onThresholdW;
  }

  /** Recommended T_off: no STANDBY, WARMUP or IDLE sample, noise included, reaches it. */
  public double offThresholdW() {
    return offThresholdW;
  }

  /** Below this the instrument is switched off rather than on standby. */
  public double offBelowW() {
    return OFF_BELOW_W;
  }

  /** Recommended t_on: standby spikes are always shorter, real runs always longer. */
  public Duration minOn() {
    return MIN_ON;
  }

  /** Recommended t_off: dips inside a run are always shorter, pauses between runs always longer. */
  public Duration minOff() {
    return MIN_OFF;
  }

  /** Recommended maximum sample gap before time counts as UNKNOWN: five sample periods. */
  public Duration maxSampleGap(Duration period) {
    return period.multipliedBy(5);
  }

  /** Whether samples carry a RUNNING/IDLE run flag (a run lamp) besides power. */
  public boolean reportsRunFlag() {
    return reportsRunFlag;
  }

  /** Chance that a planned segment of the timeline starts with the instrument switched off. */
  double offProbability() {
    return offProbability;
  }
}
