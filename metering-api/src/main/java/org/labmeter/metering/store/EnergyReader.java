package org.labmeter.metering.store;

import java.util.List;

/** A store that also keeps the meters' energy counters, for the counter-reset red flag. */
public interface EnergyReader {
  /** The instrument's energy counter readings in [fromMillis, toMillis), oldest first. */
  List<EnergyReading> energy(String instrumentId, long fromMillis, long toMillis);
}
