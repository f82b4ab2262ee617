package org.labmeter.adapters;

import java.util.Objects;

/**
 * Turns the register words of one quantity into a {@link Reading}: the value is {@code raw * scale
 * + offset}. Everything that differs between meter families is an explicit field, so that a
 * register map states it rather than a decoder guessing it.
 *
 * @param quantity what the register holds, e.g. {@code power}
 * @param unit the unit after scaling, e.g. {@code W}
 * @param type the register type from the meter's manual
 * @param wordOrder order of the words of multi-register types; ignored for one-word types
 * @param scale multiplier applied to the raw value (EM24 power: 0.1)
 * @param offset added after scaling
 */
public record RegisterDecoder(
    String quantity,
    String unit,
    RegisterType type,
    WordOrder wordOrder,
    double scale,
    double offset) {

  public RegisterDecoder {
    Objects.requireNonNull(quantity, "quantity");
    Objects.requireNonNull(unit, "unit");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(wordOrder, "wordOrder");
    if (!Double.isFinite(scale) || scale == 0) {
      throw new IllegalArgumentException("scale must be finite and non-zero, got " + scale);
    }
    if (!Double.isFinite(offset)) {
      throw new IllegalArgumentException("offset must be finite, got " + offset);
    }
  }

  /** A decoder without scaling or offset. */
  public static RegisterDecoder of(
      String quantity, String unit, RegisterType type, WordOrder wordOrder) {
    return new RegisterDecoder(quantity, unit, type, wordOrder, 1.0, 0.0);
  }

  /** The number of register words {@link #decode} expects. */
  public int words() {
    return type.words();
  }

  /**
   * Decodes register words as read from the device, in register order.
   *
   * @param words one element per register, each 0..0xFFFF
   */
  public Reading decode(int[] words) {
    if (words.length != type.words()) {
      return new Reading.Rejected(
          quantity
              + ": "
              + type
              + " needs "
              + type.words()
              + " register words, got "
              + words.length);
    }
    for (int i = 0; i < words.length; i++) {
      if (words[i] < 0 || words[i] > 0xFFFF) {
        return new Reading.Rejected(
            quantity + ": register word " + i + " is not 16-bit: " + words[i]);
      }
    }
    long bits = combine(words);
    double raw =
        switch (type) {
          case INT16 -> (short) bits;
          case UINT16 -> bits;
          case INT32 -> (int) bits;
          case UINT32 -> bits & 0xFFFF_FFFFL;
          case INT64 -> (double) bits;
          case FLOAT32 -> Float.intBitsToFloat((int) bits);
          case FLOAT64 -> Double.longBitsToDouble(bits);
        };
    if (!Double.isFinite(raw)) {
      return new Reading.Rejected(quantity + ": register value is " + raw);
    }
    double value = raw * scale + offset;
    if (!Double.isFinite(value)) {
      return new Reading.Rejected(quantity + ": scaled value overflows: " + value);
    }
    return new Reading.Value(quantity, value, unit);
  }

  /** Puts the words together most significant first, whatever order the device sent them in. */
  private long combine(int[] words) {
    long bits = 0;
    for (int i = 0; i < words.length; i++) {
      int word = wordOrder == WordOrder.HIGH_FIRST ? words[i] : words[words.length - 1 - i];
      bits = (bits << 16) | word;
    }
    return bits;
  }
}
