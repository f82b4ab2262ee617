package org.labmeter.metering.attribution;

import java.util.List;
import java.util.Objects;
import org.labmeter.metering.derive.StateDurations;

/**
 * One instrument's attribution over the window [fromMillis, toMillis). Identities that always hold:
 * {@code attributedActive + unbookedActive = totalActive}; {@code attributedActive} is the sum of
 * the sessions' attributed ACTIVE time, and equals the ACTIVE part of effective hours plus the
 * three counted-apart totals; {@code verifiedEffective + declaredEffective = effective}; {@code
 * voucher <= external <= effective}.
 *
 * @param fromMillis window start, inclusive
 * @param toMillis window end, exclusive
 * @param managingEntityId the instrument's managing unit
 * @param totalActive ACTIVE time in the window
 * @param attributedActive ACTIVE time given to some session
 * @param unbookedActive ACTIVE time covered by no session
 * @param effective sum of the sessions' effective hours
 * @param external sum of the sessions' external hours
 * @param voucher sum of the sessions' voucher hours
 * @param verifiedEffective effective hours of grade A and B sessions (reported as verified)
 * @param declaredEffective effective hours of grade C sessions (reported as declared)
 * @param maintenance attributed ACTIVE time of maintenance sessions
 * @param calibration attributed ACTIVE time of calibration sessions
 * @param training attributed ACTIVE time of training sessions
 * @param inSessions clock time per state covered by at least one session, each instant once
 * @param sessions one entry per session kept, in input order
 * @param unbooked ACTIVE stretches covered by no session, in time order
 * @param noShows sessions with less ACTIVE time than the threshold
 * @param overruns runs past a session's end beyond the tolerance
 * @param issues problems with input rows, in input order
 * @param algorithmVersion {@link AttributionEngine#ALGORITHM_VERSION}
 */
public record AttributionResult(
    long fromMillis,
    long toMillis,
    String managingEntityId,
    Hours totalActive,
    Hours attributedActive,
    Hours unbookedActive,
    Hours effective,
    Hours external,
    Hours voucher,
    Hours verifiedEffective,
    Hours declaredEffective,
    Hours maintenance,
    Hours calibration,
    Hours training,
    StateDurations inSessions,
    List<SessionAttribution> sessions,
    List<UnbookedUse> unbooked,
    List<NoShow> noShows,
    List<Overrun> overruns,
    List<AttributionIssue> issues,
    String algorithmVersion) {

  public AttributionResult {
    Objects.requireNonNull(managingEntityId, "managingEntityId");
    Objects.requireNonNull(inSessions, "inSessions");
    sessions = List.copyOf(sessions);
    unbooked = List.copyOf(unbooked);
    noShows = List.copyOf(noShows);
    overruns = List.copyOf(overruns);
    issues = List.copyOf(issues);
    Objects.requireNonNull(algorithmVersion, "algorithmVersion");
  }

  /** External over effective hours (共享率); 0 when there are no effective hours. */
  public double sharingRate() {
    return effective.millis() == 0 ? 0.0 : (double) external.millis() / effective.millis();
  }

  /** The entry for a session id, for reading results; the first one when ids repeat. */
  public SessionAttribution session(String id) {
    return sessions.stream()
        .filter(s -> s.sessionId().equals(id))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no session with id " + id));
  }
}
