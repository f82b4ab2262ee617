package org.labmeter.metering.live;

import org.labmeter.metering.derive.RunState;

/**
 * One instrument's live state as the screens show it.
 *
 * @param sinceMillis when the state began as far as this process saw it, or -1 when not known
 * @param powerW newest power, NaN when none
 * @param lastSampleMillis newest sample's device time, or -1 when none was found
 * @param fresh whether the newest sample is recent enough to speak for "now"
 */
public record LiveView(
    String instrumentId,
    String facilityId,
    RunState state,
    long sinceMillis,
    double powerW,
    long lastSampleMillis,
    boolean fresh) {

  /** Compact JSON object, as sent on the live feed. */
  void appendJson(StringBuilder b) {
    b.append("{\"id\":\"")
        .append(instrumentId) // ids are [A-Za-z0-9._-], nothing to escape
        .append("\",\"state\":\"")
        .append(state.name())
        .append("\",\"since\":")
        .append(sinceMillis < 0 ? "null" : Long.toString(sinceMillis))
        .append(",\"powerW\":")
        .append(Double.isNaN(powerW) ? "null" : Double.toString(Math.round(powerW * 10) / 10.0))
        .append(",\"last\":")
        .append(lastSampleMillis < 0 ? "null" : Long.toString(lastSampleMillis))
        .append(",\"fresh\":")
        .append(fresh)
        .append('}');
  }
}
