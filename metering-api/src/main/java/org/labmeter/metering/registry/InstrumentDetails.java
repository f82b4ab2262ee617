package org.labmeter.metering.registry;

import java.math.BigDecimal;

/**
 * What the national platform and evaluators know an instrument by, beside {@link Instrument}: all
 * optional.
 *
 * @param nationalPlatformId the instrument's id on the national management platform
 * @param categoryCode the platform's instrument category code
 * @param originalValue purchase value in CNY (the thresholds of the sharing rules apply to it)
 * @param location building and room
 */
public record InstrumentDetails(
    String nationalPlatformId, String categoryCode, BigDecimal originalValue, String location) {
  public static final InstrumentDetails NONE = new InstrumentDetails(null, null, null, null);

  public InstrumentDetails {
    requireLength("nationalPlatformId", nationalPlatformId, 64);
    requireLength("categoryCode", categoryCode, 32);
    requireLength("location", location, 200);
    if (originalValue != null
        && (originalValue.signum() < 0
            || originalValue.scale() > 2
            || originalValue.precision() > 18)) {
      throw new RegistryRejection(
          RegistryRejection.Kind.INVALID,
          "originalValue",
          "originalValue must be a non-negative amount in CNY with at most two decimals");
    }
  }

  private static void requireLength(String field, String value, int max) {
    if (value != null && (value.isBlank() || value.length() > max)) {
      throw new RegistryRejection(
          RegistryRejection.Kind.INVALID, field, field + " must be 1.." + max + " characters");
    }
  }
}
