package org.labmeter.metering.sessions;

import java.time.Instant;
import java.util.Objects;
import org.labmeter.metering.attribution.UsageSession;

/**
 * A usage session as the registry holds it: the session itself, and where and when it came in, so
 * that an evaluator can tell a booking system's export from a later manual upload.
 *
 * @param instrumentId the instrument the session was used on
 * @param session the session, unchanged from the import
 * @param source what the import named as its origin (for example {@code import:csv})
 * @param importedAt when the import that stored it committed
 */
public record StoredSession(
    String instrumentId, UsageSession session, String source, Instant importedAt) {
  public StoredSession {
    Objects.requireNonNull(instrumentId, "instrumentId");
    Objects.requireNonNull(session, "session");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(importedAt, "importedAt");
  }
}
