package org.labmeter.metering.attribution;

/**
 * A session with less ACTIVE time inside it than the policy's no-show threshold: booked, but the
 * instrument did not run.
 *
 * @param row the session's index in the input list
 * @param sessionId the session's id
 * @param activeMillisInSession the ACTIVE time inside the (clipped) session, whoever it went to
 */
public record NoShow(int row, String sessionId, long activeMillisInSession) {}
