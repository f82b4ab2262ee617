package org.labmeter.agent.config;

import java.util.Optional;
import org.labmeter.adapters.serial.ScpiStatusParser;
import org.labmeter.adapters.serial.StatusParser;

/**
 * A SCPI instrument on a serial line ({@code type: scpi}): {@code *IDN?} once at connect, then a
 * status query per period whose integer reply is tested against two bit masks.
 *
 * @param line the serial line
 * @param statusQuery e.g. {@code :STATus:OPERation:CONDition?} or {@code *STB?}
 * @param runningMask bits of the reply that mean RUNNING
 * @param faultMask bits that mean FAULT (they win over RUNNING); 0 when there are none
 * @param periodMillis sample period
 */
public record ScpiSource(
    SerialLine line, String statusQuery, int runningMask, int faultMask, long periodMillis)
    implements SerialSource {
  public static final String TYPE = "scpi";
  public static final String IDENTITY_QUERY = "*IDN?";

  public ScpiSource {
    if (line == null) {
      throw new InvalidConfigException("port", "missing; required, e.g. /dev/ttyUSB0");
    }
    if (statusQuery == null || statusQuery.isBlank()) {
      throw new InvalidConfigException(
          "statusQuery", "missing; required, e.g. :STATus:OPERation:CONDition? or *STB?");
    }
    if (runningMask <= 0) {
      throw new InvalidConfigException(
          "runningMask", "must name at least one bit; allowed: 1..2147483647, e.g. 16 or 0x10");
    }
    if (faultMask < 0) {
      throw new InvalidConfigException("faultMask", "allowed: 0 (none)..2147483647");
    }
    if ((runningMask & faultMask) != 0) {
      throw new InvalidConfigException(
          "faultMask", "shares bits with runningMask; a bit cannot mean both");
    }
    InvalidConfigException.requireRange("periodMillis", periodMillis, 100, 3_600_000);
  }

  @Override
  public String type() {
    return TYPE;
  }

  @Override
  public Optional<String> identityQuery() {
    return Optional.of(IDENTITY_QUERY);
  }

  @Override
  public Optional<String> pollQuery() {
    return Optional.of(statusQuery);
  }

  @Override
  public StatusParser parser() {
    return new ScpiStatusParser(runningMask, faultMask);
  }
}
