package org.labmeter.metering.registry;

import org.labmeter.wire.Ids;

/** A shared instrument as the registry knows it. */
public record Instrument(
    String id, String facilityId, String name, String nameZh, String model, String assetNo) {
  public Instrument {
    Ids.requireValid("instrument.id", id);
    Ids.requireValid("instrument.facilityId", facilityId);
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("instrument.name must not be blank");
    }
  }
}
