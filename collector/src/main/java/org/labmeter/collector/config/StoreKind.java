package org.labmeter.collector.config;

/**
 * Which time-series store the collector writes to. Both accept the InfluxDB v2 write API, so the
 * writer is the same; only QuestDB gets its tables created up front, because its dedup keys must
 * exist before the first write or retried batches would land twice.
 */
public enum StoreKind {
  QUESTDB,
  INFLUXDB
}
