package org.labmeter.metering.evidence;

import java.util.Objects;
import org.labmeter.metering.derive.DerivationProfile;

/** One version of the instrument's derivation profile, as the registry holds it. */
public record BundledProfile(int version, long validFromMillis, DerivationProfile profile) {
  public BundledProfile {
    Objects.requireNonNull(profile, "profile");
  }
}
