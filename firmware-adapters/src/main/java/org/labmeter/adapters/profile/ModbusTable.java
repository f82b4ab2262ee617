package org.labmeter.adapters.profile;

import java.util.Arrays;
import java.util.Optional;

/**
 * The four Modbus data tables, named by the function code that reads them. Meters disagree on
 * whether a value lives in the holding (03) or the input (04) registers, so every register of a
 * profile states its table.
 */
public enum ModbusTable {
  COILS(1),
  DISCRETE_INPUTS(2),
  HOLDING_REGISTERS(3),
  INPUT_REGISTERS(4);

  private final int functionCode;

  ModbusTable(int functionCode) {
    this.functionCode = functionCode;
  }

  /** The read function code: 1, 2, 3 or 4. */
  public int functionCode() {
    return functionCode;
  }

  /** True for the one-bit tables (coils, discrete inputs). */
  public boolean bits() {
    return this == COILS || this == DISCRETE_INPUTS;
  }

  public static Optional<ModbusTable> ofFunctionCode(int code) {
    return Arrays.stream(values()).filter(t -> t.functionCode == code).findFirst();
  }
}
