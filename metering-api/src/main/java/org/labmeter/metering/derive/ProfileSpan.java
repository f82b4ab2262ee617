package org.labmeter.metering.derive;

import java.util.Objects;

/**
 * The part [fromMillis, toMillis) of a derivation window that one profile version applied to.
 *
 * @param version the profile version
 * @param validFromMillis the instant that version applies from
 * @param parameterHash {@link DerivationProfile#parameterHash()} of that version
 */
public record ProfileSpan(
    long fromMillis, long toMillis, int version, long validFromMillis, String parameterHash) {
  public ProfileSpan {
    Objects.requireNonNull(parameterHash, "parameterHash");
  }

  public long durationMillis() {
    return toMillis - fromMillis;
  }
}
