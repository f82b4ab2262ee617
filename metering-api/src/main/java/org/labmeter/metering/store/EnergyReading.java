package org.labmeter.metering.store;

/** One reading of the instrument's energy counter (kWh, as the meter reports it). */
public record EnergyReading(long timestampMillis, double energyKwh) {}
