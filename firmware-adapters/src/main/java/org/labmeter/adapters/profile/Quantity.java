package org.labmeter.adapters.profile;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * What a register of an energy meter holds. The set is closed on purpose: a sample carries power
 * and energy, and voltage, current and power factor are kept for probing and plausibility, so a
 * profile cannot name a quantity that nothing downstream understands.
 */
public enum Quantity {
  POWER_W("power_w", "W"),
  ENERGY_KWH("energy_kwh", "kWh"),
  VOLTAGE_V("voltage_v", "V"),
  CURRENT_A("current_a", "A"),
  POWER_FACTOR("power_factor", "");

  private final String configName;
  private final String unit;

  Quantity(String configName, String unit) {
    this.configName = configName;
    this.unit = unit;
  }

  /** The name used in profile files, e.g. {@code power_w}. */
  public String configName() {
    return configName;
  }

  /** The unit values are reported in after scaling. */
  public String unit() {
    return unit;
  }

  public static Optional<Quantity> fromConfigName(String name) {
    return Arrays.stream(values()).filter(q -> q.configName.equals(name)).findFirst();
  }

  public static List<String> configNames() {
    return Arrays.stream(values()).map(Quantity::configName).toList();
  }
}
