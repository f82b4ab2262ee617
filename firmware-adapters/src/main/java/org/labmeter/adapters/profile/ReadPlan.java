package org.labmeter.adapters.profile;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Groups a profile's fields into as few requests as the bus allows. Only adjacent fields are
 * merged: reading the gap between two fields could hit registers the meter does not implement and
 * turn a good poll into an exception response. No request exceeds {@code maxRegisters}, because on
 * a slow RS-485 segment a long read holds the bus for everyone, and some meters refuse reads beyond
 * their own limit.
 */
public final class ReadPlan {
  /** Modbus allows 125 registers per read (03/04). */
  public static final int MODBUS_MAX_REGISTERS = 125;

  private ReadPlan() {}

  /**
   * @param maxRegisters at most this many registers per request, 4..125 (4 so that a FLOAT64 fits)
   */
  public static List<ReadBlock> of(DeviceProfile profile, int maxRegisters) {
    if (maxRegisters < 4 || maxRegisters > MODBUS_MAX_REGISTERS) {
      throw new IllegalArgumentException(
          "maxRegisters must be 4.." + MODBUS_MAX_REGISTERS + ", got " + maxRegisters);
    }
    List<RegisterField> fields = new ArrayList<>(profile.registers());
    fields.sort(
        Comparator.comparing(RegisterField::table).thenComparingInt(RegisterField::wireAddress));
    List<ReadBlock> blocks = new ArrayList<>();
    ReadBlock open = null;
    for (RegisterField f : fields) {
      if (open != null
          && open.table() == f.table()
          && open.end() == f.wireAddress()
          && open.count() + f.words() <= maxRegisters) {
        open = new ReadBlock(open.table(), open.address(), open.count() + f.words());
      } else {
        if (open != null) {
          blocks.add(open);
        }
        open = new ReadBlock(f.table(), f.wireAddress(), f.words());
      }
    }
    if (open != null) {
      blocks.add(open);
    }
    profile
        .runFlag()
        .ifPresent(input -> blocks.add(new ReadBlock(input.table(), input.wireAddress(), 1)));
    return List.copyOf(blocks);
  }
}
