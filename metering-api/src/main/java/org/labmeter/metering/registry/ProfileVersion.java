package org.labmeter.metering.registry;

import java.time.Instant;
import org.labmeter.metering.derive.DerivationProfile;

/** One version of an instrument's derivation profile, in force from {@code validFrom}. */
public record ProfileVersion(
    String instrumentId, int version, Instant validFrom, DerivationProfile profile) {}
