package org.labmeter.adapters.profile;

import java.util.Objects;

/**
 * A one-bit input that says whether the instrument runs: a run lamp, a relay contact, a door
 * switch, read through a Modbus I/O module. The instrument's own signal outranks power in
 * derivation, so it is read and reported separately from the meter registers.
 *
 * @param table {@link ModbusTable#COILS} (01) or {@link ModbusTable#DISCRETE_INPUTS} (02)
 * @param address the input number as the module's manual prints it
 * @param addressBase 0 or 1, as for {@link RegisterField}
 * @param activeHigh true when a set bit means running; false for a normally-closed contact
 */
public record RunFlagInput(ModbusTable table, int address, int addressBase, boolean activeHigh) {

  public RunFlagInput {
    Objects.requireNonNull(table, "table");
    if (!table.bits()) {
      throw new IllegalArgumentException(
          "runFlag: function code " + table.functionCode() + " reads registers; allowed: 1, 2");
    }
    if (addressBase != 0 && addressBase != 1) {
      throw new IllegalArgumentException("runFlag: addressBase must be 0 or 1, got " + addressBase);
    }
    if (address - addressBase < 0 || address - addressBase > 0xFFFF) {
      throw new IllegalArgumentException(
          "runFlag: address " + address + " with base " + addressBase + " is outside 0..65535");
    }
  }

  public int wireAddress() {
    return address - addressBase;
  }

  /** Whether the bit as read means running. */
  public boolean running(boolean bit) {
    return bit == activeHigh;
  }
}
