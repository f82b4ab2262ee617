package org.labmeter.metering.ledger;

import java.time.Instant;
import java.util.List;
import java.util.OptionalLong;
import javax.sql.DataSource;

/** Reads and writes table {@code ledger_watermark}: how far a scan has read. Blocks on JDBC. */
final class WatermarkRepository {
  private final Jdbc jdbc;

  WatermarkRepository(DataSource dataSource) {
    this.jdbc = new Jdbc(dataSource);
  }

  OptionalLong get(String name) {
    List<Long> v =
        jdbc.query(
            "SELECT received_ms FROM ledger_watermark WHERE name = ?",
            ps -> ps.setString(1, name),
            rs -> rs.getLong(1));
    return v.isEmpty() ? OptionalLong.empty() : OptionalLong.of(v.get(0));
  }

  void set(String name, long receivedMillis, Instant now) {
    jdbc.transaction(
        "saving watermark " + name,
        c -> {
          int n;
          try (var ps =
              c.prepareStatement(
                  "UPDATE ledger_watermark SET received_ms = ?, updated_at = ? WHERE name = ?")) {
            ps.setLong(1, receivedMillis);
            ps.setTimestamp(2, Jdbc.now(now));
            ps.setString(3, name);
            n = ps.executeUpdate();
          }
          if (n == 0) {
            try (var ps =
                c.prepareStatement(
                    "INSERT INTO ledger_watermark (name, received_ms, updated_at) VALUES (?, ?, ?)")) {
              ps.setString(1, name);
              ps.setLong(2, receivedMillis);
              ps.setTimestamp(3, Jdbc.now(now));
              ps.executeUpdate();
            }
          }
          return null;
        });
  }
}
