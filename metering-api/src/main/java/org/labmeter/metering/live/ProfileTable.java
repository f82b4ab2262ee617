package org.labmeter.metering.live;

import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.labmeter.metering.derive.DerivationProfile;
import org.labmeter.metering.registry.RegistryException;
import org.labmeter.metering.registry.Sql;

/** The profile in force now for every instrument, in one query. */
final class ProfileTable {
  private ProfileTable() {}

  private record Row(String instrumentId, long validFrom, DerivationProfile profile) {}

  static Map<String, DerivationProfile> inForce(DataSource ds, long nowMillis) {
    List<Row> rows;
    try {
      rows =
          Sql.query(
              ds,
              "SELECT instrument_id, valid_from, off_below_w, on_threshold_w, off_threshold_w,"
                  + " min_on_ms, min_off_ms, max_sample_gap_ms FROM instrument_profile"
                  + " ORDER BY instrument_id, version",
              ps -> {},
              rs -> {
                Timestamp from = rs.getTimestamp(2);
                double offBelow = rs.getDouble(3);
                double on = rs.getDouble(4);
                double off = rs.getDouble(5);
                Duration minOn = Duration.ofMillis(rs.getLong(6));
                Duration minOff = Duration.ofMillis(rs.getLong(7));
                Duration gap = Duration.ofMillis(rs.getLong(8));
                return new Row(
                    rs.getString(1),
                    from.getTime(),
                    DerivationProfile.create(
                        b ->
                            b.offBelowW(offBelow)
                                .onThresholdW(on)
                                .offThresholdW(off)
                                .minOn(minOn)
                                .minOff(minOff)
                                .maxSampleGap(gap)));
              });
    } catch (SQLException e) {
      throw new RegistryException("reading the profiles failed: " + e.getMessage(), e);
    }
    Map<String, DerivationProfile> out = new HashMap<>();
    for (Row r : rows) {
      // versions ascend: a later version in force replaces an earlier one; the first one stands in
      // until any is in force (as Registry.profileAt does)
      if (r.validFrom() <= nowMillis || !out.containsKey(r.instrumentId())) {
        out.put(r.instrumentId(), r.profile());
      }
    }
    return out;
  }
}
