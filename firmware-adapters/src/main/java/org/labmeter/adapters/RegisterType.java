package org.labmeter.adapters;

/**
 * How a value is laid out in 16-bit Modbus register words. Meter manuals name these types; each
 * register in a map must say which one it is, because the same words read as another type give a
 * plausible-looking wrong number.
 */
public enum RegisterType {
  INT16(1),
  UINT16(1),
  INT32(2),
  UINT32(2),
  /** Signed 64-bit integer in four words (e.g. Schneider iEM3000 energy counters in Wh). */
  INT64(4),
  /** IEEE-754 single precision in two words. */
  FLOAT32(2),
  /** IEEE-754 double precision in four words. */
  FLOAT64(4);

  private final int words;

  RegisterType(int words) {
    this.words = words;
  }

  /** Number of 16-bit registers the value occupies. */
  public int words() {
    return words;
  }
}
