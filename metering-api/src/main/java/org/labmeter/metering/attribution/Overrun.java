package org.labmeter.metering.attribution;

/**
 * ACTIVE time that goes on past a session's end, in the same run, covered by no other session, for
 * longer than the policy's tolerance. The time is also listed as {@link UnbookedUse}.
 *
 * @param row the session's index in the input list
 * @param sessionId the session's id
 * @param sessionEndMillis where the session ended
 * @param runEndMillis where the unbooked ACTIVE stretch after it ends
 */
public record Overrun(int row, String sessionId, long sessionEndMillis, long runEndMillis) {
  public long overrunMillis() {
    return runEndMillis - sessionEndMillis;
  }
}
