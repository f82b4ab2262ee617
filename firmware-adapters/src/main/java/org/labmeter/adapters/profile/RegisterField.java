package org.labmeter.adapters.profile;

import java.util.Objects;
import org.labmeter.adapters.RegisterDecoder;

/**
 * One quantity of a device profile: where it lives and how its words decode.
 *
 * @param quantity what the register holds
 * @param address the register number as the meter's manual prints it
 * @param addressBase 1 when the manual numbers registers from 1 (the wire address is then {@code
 *     address - 1}), 0 when it prints wire addresses
 * @param table the table, i.e. the function code that reads it (03 or 04)
 * @param decoder type, word order, scale and offset
 */
public record RegisterField(
    Quantity quantity, int address, int addressBase, ModbusTable table, RegisterDecoder decoder) {

  public RegisterField {
    Objects.requireNonNull(quantity, "quantity");
    Objects.requireNonNull(table, "table");
    Objects.requireNonNull(decoder, "decoder");
    if (addressBase != 0 && addressBase != 1) {
      throw new IllegalArgumentException("addressBase must be 0 or 1, got " + addressBase);
    }
    if (table.bits()) {
      throw new IllegalArgumentException(
          quantity.configName()
              + ": function code "
              + table.functionCode()
              + " reads bits;"
              + " registers need 3 (holding) or 4 (input)");
    }
    int wire = address - addressBase;
    if (wire < 0 || wire + decoder.words() > 0x10000) {
      throw new IllegalArgumentException(
          quantity.configName()
              + ": address "
              + address
              + " with base "
              + addressBase
              + " is outside the register space 0..65535");
    }
  }

  /** The 0-based address sent in the request. */
  public int wireAddress() {
    return address - addressBase;
  }

  /** Number of registers the value occupies. */
  public int words() {
    return decoder.words();
  }

  /** True when the two fields share at least one register of the same table. */
  public boolean overlaps(RegisterField other) {
    return table == other.table
        && wireAddress() < other.wireAddress() + other.words()
        && other.wireAddress() < wireAddress() + words();
  }
}
