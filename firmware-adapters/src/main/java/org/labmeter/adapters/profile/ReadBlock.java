package org.labmeter.adapters.profile;

import java.util.Objects;

/**
 * One read request: {@code count} registers (or bits) of {@code table} from wire address {@code
 * address}.
 */
public record ReadBlock(ModbusTable table, int address, int count) {

  public ReadBlock {
    Objects.requireNonNull(table, "table");
    if (address < 0 || count < 1 || address + count > 0x10000) {
      throw new IllegalArgumentException(
          "read block " + table + " " + address + "+" + count + " is outside 0..65535");
    }
  }

  public int end() {
    return address + count;
  }
}
