package org.labmeter.adapters.serial;

import java.util.regex.Pattern;

/**
 * Reads the integer reply of a SCPI status query ({@code *STB?}, {@code
 * :STATus:OPERation:CONDition?}) against two bit masks. A set FAULT bit wins over a set RUNNING
 * bit: an instrument that reports both is not producing valid measurements. Neither set is IDLE.
 *
 * <p>The reply must be an IEEE 488.2 NR1 number (optional sign, decimal digits) from 0 to
 * 2,147,483,647; {@code +512} and {@code 512} are the same. Anything else is garbage, never a
 * guess.
 *
 * @param runningMask bits that mean the instrument runs, at least one
 * @param faultMask bits that mean it is in fault, may be 0 when the register has none
 */
public record ScpiStatusParser(int runningMask, int faultMask) implements StatusParser {
  private static final Pattern NR1 = Pattern.compile("[+-]?\\d{1,10}");

  public ScpiStatusParser {
    if (runningMask <= 0) {
      throw new IllegalArgumentException(
          "runningMask: must name at least one bit (1 to 2147483647), got " + runningMask);
    }
    if (faultMask < 0) {
      throw new IllegalArgumentException(
          "faultMask: must be 0 (none) to 2147483647, got " + faultMask);
    }
    if ((runningMask & faultMask) != 0) {
      throw new IllegalArgumentException(
          "runningMask and faultMask share bits 0x"
              + Integer.toHexString(runningMask & faultMask)
              + "; a bit cannot mean both");
    }
  }

  @Override
  public StatusReply parse(String line) {
    String text = line.strip();
    if (!NR1.matcher(text).matches()) {
      return new StatusReply.Unusable(
          StatusReply.Unusable.GARBAGE, "expected a register value, got " + ReplyText.quote(line));
    }
    long value = Long.parseLong(text);
    if (value < 0 || value > Integer.MAX_VALUE) {
      return new StatusReply.Unusable(
          StatusReply.Unusable.GARBAGE, "register value " + text + " outside 0..2147483647");
    }
    int bits = (int) value;
    String detail = "register " + bits + " (0x" + Integer.toHexString(bits) + ")";
    if ((bits & faultMask) != 0) {
      return new StatusReply.Known(InstrumentStatus.FAULT, detail);
    }
    if ((bits & runningMask) != 0) {
      return new StatusReply.Known(InstrumentStatus.RUNNING, detail);
    }
    return new StatusReply.Known(InstrumentStatus.IDLE, detail);
  }
}
