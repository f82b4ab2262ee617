package org.labmeter.metering.attribution;

/**
 * Where a usage session comes from. The order is also the tie-break between overlapping sessions
 * that start at the same millisecond: a booking is the most deliberate record, a manual entry the
 * least.
 */
public enum SessionKind {
  BOOKING,
  LOGIN,
  CARD,
  QR,
  SAMPLE_ORDER,
  MANUAL
}
