package org.labmeter.metering.store;

import org.labmeter.wire.Quality;
import org.labmeter.wire.RunFlag;

/**
 * An instrument's newest stored sample, as the live screens see it.
 *
 * @param tsMillis device timestamp
 * @param powerW NaN when the sample has no power
 */
public record LatestSample(
    String instrumentId, long tsMillis, double powerW, RunFlag runFlag, Quality quality) {}
