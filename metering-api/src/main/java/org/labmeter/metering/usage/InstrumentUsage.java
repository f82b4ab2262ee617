package org.labmeter.metering.usage;

import org.labmeter.metering.derive.Usage;
import org.labmeter.metering.registry.Instrument;
import org.labmeter.metering.registry.ProfileVersion;

/**
 * A derivation result with what it was derived for and from.
 *
 * @param lastSampleMillis timestamp of the newest sample read (context included), or -1
 * @param lastPowerW power of that sample, NaN when absent
 */
public record InstrumentUsage(
    Instrument instrument,
    ProfileVersion profile,
    int samplesRead,
    long lastSampleMillis,
    double lastPowerW,
    Usage usage) {}
