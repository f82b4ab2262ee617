package org.labmeter.metering.registry;

import org.labmeter.wire.Ids;

/** A managing unit: the legal entity that owns instruments and reports their hours. */
public record Facility(String id, String name, String nameZh) {
  public Facility {
    Ids.requireValid("facility.id", id);
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("facility.name must not be blank");
    }
  }
}
