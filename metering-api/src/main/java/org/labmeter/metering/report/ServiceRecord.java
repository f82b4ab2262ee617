package org.labmeter.metering.report;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.labmeter.metering.attribution.Grade;
import org.labmeter.metering.attribution.UsageSession;

/**
 * One attributed session as a national-platform service record.
 *
 * @param effectiveMs the session's effective time summed over its ledger days
 * @param externalMs the session's external time summed over its ledger days
 * @param grade the lowest grade the session got on any of its days
 */
public record ServiceRecord(
    UsageSession session, boolean external, long effectiveMs, long externalMs, Grade grade) {

  /** National user type code: 120 internal, 130 external. */
  public int userTypeCode() {
    return external ? 130 : 120;
  }

  /** Service time: end − start in hours, half-up to 0.1 h. */
  public BigDecimal serviceHours() {
    return tenths(session.endMillis() - session.startMillis());
  }

  public BigDecimal effectiveHours() {
    return tenths(effectiveMs);
  }

  /** The end time cut to the whole hour, as the platform records it. */
  public Instant endHour() {
    return Instant.ofEpochMilli(session.endMillis()).truncatedTo(ChronoUnit.HOURS);
  }

  static BigDecimal tenths(long millis) {
    return BigDecimal.valueOf(millis)
        .divide(BigDecimal.valueOf(3_600_000L), 1, RoundingMode.HALF_UP);
  }
}
