package org.labmeter.adapters.profile;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.labmeter.adapters.Reading;

/**
 * Everything one poll of one device decoded to.
 *
 * @param profile the profile name
 * @param fields one per register field of the profile, in profile order
 * @param running the run flag, when the profile has one and it was read
 */
public record DeviceReading(String profile, List<DecodedField> fields, Optional<Boolean> running) {

  public DeviceReading {
    Objects.requireNonNull(profile, "profile");
    fields = List.copyOf(fields);
    Objects.requireNonNull(running, "running");
  }

  /** The reading of a quantity, empty when the profile does not have it. */
  public Optional<Reading> reading(Quantity quantity) {
    return fields.stream()
        .filter(f -> f.field().quantity() == quantity)
        .map(DecodedField::reading)
        .findFirst();
  }
}
