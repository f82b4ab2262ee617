package org.labmeter.metering.attribution;

import java.util.Objects;
import org.labmeter.metering.derive.StateDurations;

/**
 * What one session counts for inside the window.
 *
 * @param row the session's index in the input list
 * @param session the input session, unchanged
 * @param startMillis the session's start, clipped to the window
 * @param endMillis the session's end, clipped to the window
 * @param clipped part of the session lies outside the window
 * @param inSession clock time per state inside the clipped session, whoever the ACTIVE time went
 *     to; overlapping sessions each see the same time here
 * @param attributedActive the ACTIVE time given to this session (never given to two sessions)
 * @param verifiedActiveMillis the part of {@code attributedActive} held by verified samples
 * @param prepCredit preparation credited: declared, capped, and only before attributed ACTIVE time
 * @param postCredit post-processing credited: declared, capped, only after attributed ACTIVE time
 * @param effective attributed ACTIVE + prep + post when the purpose is effective, else zero
 * @param external {@code effective} when the user's entity is not the managing unit and the purpose
 *     is NORMAL, else zero
 * @param voucher {@code external} when a voucher was redeemed for the use, else zero
 * @param countedApart attributed ACTIVE time of maintenance, calibration or training, else zero
 * @param verifiedTelemetry attributed ACTIVE time is positive and at least the policy's share of it
 *     is verified
 * @param grade confidence grade
 * @param noShow less ACTIVE time inside the session than the policy's threshold
 * @param overrunMillis unbooked ACTIVE time right after the session's end in the same run (zero
 *     when none); reported as an {@link Overrun} only beyond the policy's tolerance
 */
public record SessionAttribution(
    int row,
    UsageSession session,
    long startMillis,
    long endMillis,
    boolean clipped,
    StateDurations inSession,
    Hours attributedActive,
    long verifiedActiveMillis,
    Hours prepCredit,
    Hours postCredit,
    Hours effective,
    Hours external,
    Hours voucher,
    Hours countedApart,
    boolean verifiedTelemetry,
    Grade grade,
    boolean noShow,
    long overrunMillis) {

  public SessionAttribution {
    Objects.requireNonNull(session, "session");
    Objects.requireNonNull(inSession, "inSession");
    Objects.requireNonNull(grade, "grade");
  }

  public String sessionId() {
    return session.id();
  }
}
