package org.labmeter.agent.modbus;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.labmeter.adapters.EnergyCounterCheck;
import org.labmeter.adapters.PlausibilityCheck;
import org.labmeter.adapters.Reading;
import org.labmeter.adapters.profile.DeviceReading;
import org.labmeter.adapters.profile.Quantity;
import org.labmeter.agent.config.PlausibilityLimits;
import org.labmeter.wire.Quality;
import org.labmeter.wire.RunFlag;
import org.labmeter.wire.Sample;

/**
 * Turns a decoded poll into a sample. Values that fail the power range or the energy counter check
 * are kept and the sample is SUSPECT; a quantity the profile lacks is NaN, never zero.
 *
 * <p>Not thread-safe (the counter check keeps its baseline): one per device, on its poller thread.
 */
final class SampleMapper {
  private final PlausibilityCheck powerRange;
  private final EnergyCounterCheck counter;

  SampleMapper(PlausibilityLimits limits) {
    this.powerRange = PlausibilityCheck.powerRange(limits.minW(), limits.maxW());
    this.counter = PlausibilityCheck.energyCounter(limits.maxKwhPerHour());
  }

  /** The sample and the reasons it is suspect (empty when GOOD). */
  record Mapped(Sample sample, List<String> suspectReasons) {}

  Mapped map(long timestampMillis, DeviceReading reading) {
    List<String> suspect = new ArrayList<>();
    double power = value(reading.reading(Quantity.POWER_W), powerRange, timestampMillis, suspect);
    double energy = value(reading.reading(Quantity.ENERGY_KWH), counter, timestampMillis, suspect);
    RunFlag flag =
        reading.running().map(r -> r ? RunFlag.RUNNING : RunFlag.IDLE).orElse(RunFlag.NONE);
    Quality quality = suspect.isEmpty() ? Quality.GOOD : Quality.SUSPECT;
    return new Mapped(new Sample(timestampMillis, power, energy, flag, quality), suspect);
  }

  private static double value(
      Optional<Reading> reading, PlausibilityCheck check, long ts, List<String> suspect) {
    if (reading.isEmpty()) {
      return Double.NaN;
    }
    Reading checked = check.check(ts, reading.get());
    if (checked instanceof Reading.Value v) {
      return v.value();
    }
    if (checked instanceof Reading.Rejected r) {
      suspect.add(r.reason());
    } else if (checked instanceof Reading.DeviceFault f) {
      suspect.add(f.reason());
    }
    // Keep a decoded value that failed the check: flagged, never dropped.
    return reading.get() instanceof Reading.Value raw ? raw.value() : Double.NaN;
  }
}
