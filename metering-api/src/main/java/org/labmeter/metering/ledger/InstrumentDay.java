package org.labmeter.metering.ledger;

import java.time.LocalDate;
import java.util.Objects;

/** One ledger row's key: an instrument and a UTC day. */
public record InstrumentDay(String instrumentId, LocalDate day)
    implements Comparable<InstrumentDay> {
  public InstrumentDay {
    Objects.requireNonNull(instrumentId, "instrumentId");
    Objects.requireNonNull(day, "day");
  }

  @Override
  public int compareTo(InstrumentDay o) {
    int c = instrumentId.compareTo(o.instrumentId);
    return c != 0 ? c : day.compareTo(o.day);
  }
}
