package org.labmeter.metering.usage;

import org.labmeter.metering.derive.RunState;

/**
 * An instrument's state now, for staff screens.
 *
 * @param state the derived state at the newest sample, or UNKNOWN when telemetry is stale
 * @param sinceMillis when that state began (within the look-back window), or -1
 * @param lastSampleMillis newest sample's device time, or -1 when none was found
 * @param powerW newest sample's power, NaN when absent
 * @param fresh whether the newest sample is recent enough to speak for "now"
 */
public record LiveState(
    RunState state, long sinceMillis, long lastSampleMillis, double powerW, boolean fresh) {}
