package org.labmeter.agent.config;

/**
 * Physical limits of an instrument's supply; readings outside them are flagged SUSPECT, never
 * dropped.
 *
 * @param minW lowest plausible power (a little below zero tolerates a reversed CT at no load)
 * @param maxW highest plausible power (nameplate with a margin)
 * @param maxKwhPerHour fastest plausible growth of the energy counter
 */
public record PlausibilityLimits(double minW, double maxW, double maxKwhPerHour) {
  public static final PlausibilityLimits DEFAULT = new PlausibilityLimits(-50, 100_000, 120);

  public PlausibilityLimits {
    if (!Double.isFinite(minW) || !Double.isFinite(maxW) || minW >= maxW) {
      throw new InvalidConfigException(
          "plausibility", "needs finite minW < maxW, got " + minW + ".." + maxW);
    }
    if (!Double.isFinite(maxKwhPerHour) || maxKwhPerHour <= 0) {
      throw new InvalidConfigException(
          "plausibility.maxKwhPerHour", maxKwhPerHour + " is out of range; allowed: > 0");
    }
  }
}
