package org.labmeter.adapters;

import java.util.Objects;

/**
 * What one read of one device quantity produced. Bad device data is a value, not an exception, so
 * that a poller can log it once, count it and go on with the next device instead of unwinding.
 */
public sealed interface Reading {

  /**
   * A decoded, finite value.
   *
   * @param quantity what was measured, e.g. {@code power} or {@code energy}
   * @param value the value in {@code unit}, after scale and offset
   * @param unit e.g. {@code W} or {@code kWh}
   */
  record Value(String quantity, double value, String unit) implements Reading {
    public Value {
      Objects.requireNonNull(quantity, "quantity");
      Objects.requireNonNull(unit, "unit");
      if (!Double.isFinite(value)) {
        throw new IllegalArgumentException(quantity + " must be finite, got " + value);
      }
    }
  }

  /** The device answered, but the answer cannot be used (wrong length, NaN, implausible). */
  record Rejected(String reason) implements Reading {
    public Rejected {
      Objects.requireNonNull(reason, "reason");
    }
  }

  /** The device reported a fault of its own, or did not answer at all. */
  record DeviceFault(String reason) implements Reading {
    public DeviceFault {
      Objects.requireNonNull(reason, "reason");
    }
  }
}
