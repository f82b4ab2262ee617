package org.labmeter.adapters;

/**
 * Accepts power readings inside a physical range. A small negative lower bound tolerates a current
 * transformer mounted the wrong way round at near-zero load; anything beyond is a wiring or map
 * error.
 *
 * @param minW lowest plausible power in W
 * @param maxW highest plausible power in W
 */
public record PowerRangeCheck(double minW, double maxW) implements PlausibilityCheck {

  public PowerRangeCheck {
    if (!Double.isFinite(minW) || !Double.isFinite(maxW) || minW >= maxW) {
      throw new IllegalArgumentException(
          "power range needs finite minW < maxW, got " + minW + ".." + maxW);
    }
  }

  @Override
  public Reading check(long timestampMillis, Reading reading) {
    if (reading instanceof Reading.Value value && (value.value() < minW || value.value() > maxW)) {
      return new Reading.Rejected(
          value.quantity()
              + " "
              + value.value()
              + " "
              + value.unit()
              + " is outside the plausible range "
              + minW
              + ".."
              + maxW
              + " W");
    }
    return reading;
  }
}
