package org.labmeter.metering.registry;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.labmeter.metering.derive.DerivationProfile;
import org.labmeter.wire.AgentPublicKey;

/**
 * Reads and writes the registry tables. Every write runs in one transaction; all methods block on
 * JDBC, so callers on an event loop must call them from a worker.
 */
public final class Registry {
  private final DataSource dataSource;

  public Registry(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /** The registry's database, for the tables kept beside it (usage sessions). */
  public DataSource dataSource() {
    return dataSource;
  }

  public List<Facility> facilities() {
    return query(
        "SELECT id, name, name_zh FROM facility ORDER BY id",
        ps -> {},
        rs -> new Facility(rs.getString(1), rs.getString(2), rs.getString(3)));
  }

  public List<Instrument> instruments() {
    return query(
        "SELECT id, facility_id, name, name_zh, model, asset_no FROM instrument ORDER BY id",
        ps -> {},
        Registry::instrument);
  }

  public Optional<Instrument> instrument(String id) {
    return query(
            "SELECT id, facility_id, name, name_zh, model, asset_no FROM instrument WHERE id = ?",
            ps -> ps.setString(1, id),
            Registry::instrument)
        .stream()
        .findFirst();
  }

  /** Every profile version of an instrument, oldest first. */
  public List<ProfileVersion> profiles(String instrumentId) {
    return query(
        "SELECT instrument_id, version, valid_from, off_below_w, on_threshold_w, off_threshold_w,"
            + " min_on_ms, min_off_ms, max_sample_gap_ms FROM instrument_profile"
            + " WHERE instrument_id = ? ORDER BY version",
        ps -> ps.setString(1, instrumentId),
        Registry::profileVersion);
  }

  /** The profile version in force at {@code at}: the newest whose validFrom is not after it. */
  public Optional<ProfileVersion> profileAt(String instrumentId, Instant at) {
    List<ProfileVersion> versions = profiles(instrumentId);
    ProfileVersion found = null;
    for (ProfileVersion v : versions) {
      if (!v.validFrom().isAfter(at) || found == null) {
        found = v;
      }
    }
    return Optional.ofNullable(found);
  }

  public void saveFacility(Facility f) {
    transaction(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement("UPDATE facility SET name = ?, name_zh = ? WHERE id = ?")) {
            ps.setString(1, f.name());
            ps.setString(2, f.nameZh());
            ps.setString(3, f.id());
            if (ps.executeUpdate() == 1) {
              return;
            }
          }
          try (PreparedStatement ps =
              c.prepareStatement("INSERT INTO facility (id, name, name_zh) VALUES (?, ?, ?)")) {
            ps.setString(1, f.id());
            ps.setString(2, f.name());
            ps.setString(3, f.nameZh());
            ps.executeUpdate();
          }
        });
  }

  /** Adds an instrument with its first profile version (version 1, valid from {@code from}). */
  public void addInstrument(Instrument i, DerivationProfile profile, Instant from) {
    transaction(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "INSERT INTO instrument (id, facility_id, name, name_zh, model, asset_no)"
                      + " VALUES (?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, i.id());
            ps.setString(2, i.facilityId());
            ps.setString(3, i.name());
            ps.setString(4, i.nameZh());
            ps.setString(5, i.model());
            ps.setString(6, i.assetNo());
            ps.executeUpdate();
          }
          insertProfile(c, i.id(), 1, from, profile);
        });
  }

  /**
   * Adds the next profile version of an instrument, in force from {@code from}; earlier versions
   * are never edited. Returns the new version number.
   */
  public int addProfileVersion(String instrumentId, DerivationProfile profile, Instant from) {
    int[] next = new int[1];
    transaction(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT COALESCE(MAX(version), 0) FROM instrument_profile WHERE instrument_id = ?")) {
            ps.setString(1, instrumentId);
            try (ResultSet rs = ps.executeQuery()) {
              rs.next();
              next[0] = rs.getInt(1) + 1;
            }
          }
          insertProfile(c, instrumentId, next[0], from, profile);
        });
    return next[0];
  }

  private static void insertProfile(
      Connection c, String instrumentId, int version, Instant from, DerivationProfile p)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "INSERT INTO instrument_profile (instrument_id, version, valid_from, off_below_w,"
                + " on_threshold_w, off_threshold_w, min_on_ms, min_off_ms, max_sample_gap_ms)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      ps.setString(1, instrumentId);
      ps.setInt(2, version);
      ps.setTimestamp(3, Timestamp.from(from));
      ps.setDouble(4, p.offBelowW());
      ps.setDouble(5, p.onThresholdW());
      ps.setDouble(6, p.offThresholdW());
      ps.setLong(7, p.minOn().toMillis());
      ps.setLong(8, p.minOff().toMillis());
      ps.setLong(9, p.maxSampleGap().toMillis());
      ps.executeUpdate();
    }
  }

  /** Enrolls an agent with the instruments it may report on. */
  public void enrollAgent(AgentEnrollment a) {
    transaction(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "INSERT INTO agent (id, facility_id, public_key, fingerprint, credential_hash,"
                      + " status) VALUES (?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, a.id());
            ps.setString(2, a.facilityId());
            ps.setString(3, a.publicKey().toBase64());
            ps.setString(4, a.publicKey().fingerprint());
            ps.setString(5, a.credentialHash());
            ps.setString(6, a.status().name());
            ps.executeUpdate();
          }
          try (PreparedStatement ps =
              c.prepareStatement(
                  "INSERT INTO agent_instrument (agent_id, instrument_id) VALUES (?, ?)")) {
            for (String instrumentId : a.instrumentIds()) {
              ps.setString(1, a.id());
              ps.setString(2, instrumentId);
              ps.addBatch();
            }
            ps.executeBatch();
          }
        });
  }

  public boolean agentExists(String agentId) {
    return !query("SELECT id FROM agent WHERE id = ?", ps -> ps.setString(1, agentId), rs -> 1)
        .isEmpty();
  }

  /** The enrolled public key of an agent, whatever its status, or empty when unknown. */
  public Optional<AgentPublicKey> agentKey(String agentId) {
    return query(
            "SELECT public_key FROM agent WHERE id = ?",
            ps -> ps.setString(1, agentId),
            rs -> AgentPublicKey.ofBase64(rs.getString(1)))
        .stream()
        .findFirst();
  }

  private static ProfileVersion profileVersion(ResultSet rs) throws SQLException {
    double offBelow = rs.getDouble(4);
    double on = rs.getDouble(5);
    double off = rs.getDouble(6);
    Duration minOn = Duration.ofMillis(rs.getLong(7));
    Duration minOff = Duration.ofMillis(rs.getLong(8));
    Duration maxGap = Duration.ofMillis(rs.getLong(9));
    return new ProfileVersion(
        rs.getString(1),
        rs.getInt(2),
        rs.getTimestamp(3).toInstant(),
        DerivationProfile.create(
            b ->
                b.offBelowW(offBelow)
                    .onThresholdW(on)
                    .offThresholdW(off)
                    .minOn(minOn)
                    .minOff(minOff)
                    .maxSampleGap(maxGap)));
  }

  private static Instrument instrument(ResultSet rs) throws SQLException {
    return new Instrument(
        rs.getString(1),
        rs.getString(2),
        rs.getString(3),
        rs.getString(4),
        rs.getString(5),
        rs.getString(6));
  }

  @FunctionalInterface
  private interface Work {
    void run(Connection c) throws SQLException;
  }

  private <T> List<T> query(String sql, Sql.Binder binder, Sql.RowMapper<T> mapper) {
    try {
      return Sql.query(dataSource, sql, binder, mapper);
    } catch (SQLException e) {
      throw new RegistryException("registry query failed: " + e.getMessage(), e);
    }
  }

  private void transaction(Work work) {
    try (Connection c = dataSource.getConnection()) {
      boolean auto = c.getAutoCommit();
      c.setAutoCommit(false);
      try {
        work.run(c);
        c.commit();
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      } finally {
        c.setAutoCommit(auto);
      }
    } catch (SQLException e) {
      throw new RegistryException("registry write failed: " + e.getMessage(), e);
    }
  }
}
