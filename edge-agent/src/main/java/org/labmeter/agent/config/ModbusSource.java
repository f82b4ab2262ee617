package org.labmeter.agent.config;

import java.util.Objects;
import org.labmeter.adapters.profile.DeviceProfile;

/**
 * An instrument read through a Modbus energy meter or I/O module ({@code type: modbus}). A real
 * meter can only say what it reads now, so sampling is always live and there is no backfill.
 *
 * @param bus the TCP connection or serial port, shared with the other devices on it
 * @param unitId the device's Modbus unit (slave) id, 0..247 (0 only behind some TCP gateways)
 * @param profile the register map, built-in or from a site file
 * @param periodMillis sample period
 * @param limits plausibility limits
 */
public record ModbusSource(
    ModbusBus bus, int unitId, DeviceProfile profile, long periodMillis, PlausibilityLimits limits)
    implements SourceConfig {
  public static final String TYPE = "modbus";
  public static final long MIN_PERIOD_MILLIS = 100;
  public static final long MAX_PERIOD_MILLIS = 3_600_000;

  public ModbusSource {
    Objects.requireNonNull(bus, "bus");
    InvalidConfigException.requireRange("unitId", unitId, 0, 247);
    Objects.requireNonNull(profile, "profile");
    InvalidConfigException.requireRange(
        "periodMillis", periodMillis, MIN_PERIOD_MILLIS, MAX_PERIOD_MILLIS);
    Objects.requireNonNull(limits, "limits");
  }

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public SamplingMode mode() {
    return new SamplingMode.Live(0);
  }
}
