/**
 * Attribution and reconciliation: turns one instrument's derived timeline and its usage sessions
 * (bookings, logins, card or QR scans, sample orders, manual entries) into effective, external and
 * voucher hours, keeps maintenance, calibration and training apart, flags no-shows, unbooked use
 * and overruns, and grades each session's evidence. Plain Java with no I/O, clock or framework
 * types, so the API, the ledger and the offline verifier get the same numbers; see
 * docs/attribution.md.
 */
package org.labmeter.metering.attribution;
