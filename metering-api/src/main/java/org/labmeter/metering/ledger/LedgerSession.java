package org.labmeter.metering.ledger;

import java.time.LocalDate;
import org.labmeter.metering.attribution.Grade;

/**
 * What one attributed session counted for on one ledger day; the service-record export sums these
 * per session, so its hours are the ledger's hours.
 */
public record LedgerSession(
    String instrumentId,
    LocalDate date,
    String sessionId,
    long attributedActiveMs,
    long effectiveMs,
    long externalMs,
    long voucherMs,
    Grade grade,
    boolean noShow,
    long overrunMs) {}
