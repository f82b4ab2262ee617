package org.labmeter.adapters.profile;

import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The registers and bits one poll read, by table and wire address. Filled by the transport, read by
 * {@link DeviceProfile#decode}. Not thread-safe; one per poll.
 */
public final class RegisterImage {
  private final Map<ModbusTable, Map<Integer, Integer>> words = new EnumMap<>(ModbusTable.class);
  private final Map<ModbusTable, Map<Integer, Boolean>> bits = new EnumMap<>(ModbusTable.class);

  /** Stores registers read from {@code address} on; each word 0..0xFFFF. */
  public RegisterImage putWords(ModbusTable table, int address, int[] values) {
    Map<Integer, Integer> t = words.computeIfAbsent(table, k -> new HashMap<>());
    for (int i = 0; i < values.length; i++) {
      t.put(address + i, values[i] & 0xFFFF);
    }
    return this;
  }

  public RegisterImage putBit(ModbusTable table, int address, boolean value) {
    bits.computeIfAbsent(table, k -> new HashMap<>()).put(address, value);
    return this;
  }

  /** The words at {@code address..address+count-1}, empty when any of them was not read. */
  public Optional<int[]> words(ModbusTable table, int address, int count) {
    Map<Integer, Integer> t = words.get(table);
    if (t == null) {
      return Optional.empty();
    }
    int[] out = new int[count];
    for (int i = 0; i < count; i++) {
      Integer w = t.get(address + i);
      if (w == null) {
        return Optional.empty();
      }
      out[i] = w;
    }
    return Optional.of(out);
  }

  public Optional<Boolean> bit(ModbusTable table, int address) {
    Map<Integer, Boolean> t = bits.get(table);
    return t == null ? Optional.empty() : Optional.ofNullable(t.get(address));
  }
}
