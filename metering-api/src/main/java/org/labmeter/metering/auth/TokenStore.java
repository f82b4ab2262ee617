package org.labmeter.metering.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.labmeter.metering.registry.RegistryException;
import org.labmeter.metering.registry.Sql;
import org.labmeter.wire.Ids;

/**
 * API tokens in the relational store. A token reads {@code lm_<id>_<secret>}: the id is public (it
 * names the token in lists and the audit log), the secret is 256 random bits of which only the
 * SHA-256 is stored, so a copy of the database authenticates nobody. There is no default token: the
 * first administrator token comes from {@code labmeter admin create-token}.
 */
public final class TokenStore {
  static final String PREFIX = "lm_";
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String COLUMNS =
      "id, role, facility_id, label, created_at, revoked_at, secret_hash";

  private final DataSource dataSource;
  private final Clock clock;

  public TokenStore(DataSource dataSource, Clock clock) {
    this.dataSource = dataSource;
    this.clock = clock;
  }

  public TokenStore(DataSource dataSource) {
    this(dataSource, Clock.systemUTC());
  }

  /**
   * Creates a token and returns its text once.
   *
   * @throws TokenException when the label is blank, the role/facility pair does not fit, or the
   *     facility is unknown
   */
  public IssuedToken create(Role role, String facilityId, String label) {
    if (label == null || label.isBlank() || label.length() > 200) {
      throw new TokenException("label", "label is required (1..200 characters)");
    }
    if (role == Role.FACILITY_STAFF && (facilityId == null || !Ids.isValid(facilityId))) {
      throw new TokenException("facilityId", "a staff token needs the id of its managing unit");
    }
    if (role != Role.FACILITY_STAFF && facilityId != null) {
      throw new TokenException("facilityId", "only staff tokens are scoped to a managing unit");
    }
    byte[] idBytes = new byte[6];
    byte[] secretBytes = new byte[32];
    RANDOM.nextBytes(idBytes);
    RANDOM.nextBytes(secretBytes);
    String id = HexFormat.of().formatHex(idBytes);
    String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(secretBytes);
    Instant now = clock.instant().truncatedTo(java.time.temporal.ChronoUnit.MILLIS);
    try (Connection c = dataSource.getConnection()) {
      if (facilityId != null
          && Sql.query(
                  dataSource,
                  "SELECT id FROM facility WHERE id = ?",
                  ps -> ps.setString(1, facilityId),
                  rs -> 1)
              .isEmpty()) {
        throw new TokenException("facilityId", "no facility with id '" + facilityId + "'");
      }
      try (PreparedStatement ps =
          c.prepareStatement(
              "INSERT INTO api_token (id, secret_hash, role, facility_id, label, created_at)"
                  + " VALUES (?, ?, ?, ?, ?, ?)")) {
        ps.setString(1, id);
        ps.setString(2, sha256(secret));
        ps.setString(3, role.name());
        ps.setString(4, facilityId);
        ps.setString(5, label);
        ps.setTimestamp(6, Timestamp.from(now));
        ps.executeUpdate();
      }
    } catch (SQLException e) {
      throw new RegistryException("token could not be stored: " + e.getMessage(), e);
    }
    return new IssuedToken(
        new ApiToken(id, role, facilityId, label, now, null), PREFIX + id + "_" + secret);
  }

  /** The principal of a bearer text, or empty when it is malformed, unknown or revoked. */
  public Optional<Principal> authenticate(String bearer) {
    if (bearer == null || !bearer.startsWith(PREFIX) || bearer.length() > 200) {
      return Optional.empty();
    }
    int split = bearer.indexOf('_', PREFIX.length());
    if (split < 0) {
      return Optional.empty();
    }
    String id = bearer.substring(PREFIX.length(), split);
    String secret = bearer.substring(split + 1);
    Optional<Stored> stored = find(id);
    if (stored.isEmpty() || stored.get().token().revoked()) {
      return Optional.empty();
    }
    boolean match =
        MessageDigest.isEqual(
            stored.get().secretHash().getBytes(StandardCharsets.US_ASCII),
            sha256(secret).getBytes(StandardCharsets.US_ASCII));
    return match ? Optional.of(stored.get().token().principal()) : Optional.empty();
  }

  public List<ApiToken> list() {
    return query("SELECT " + COLUMNS + " FROM api_token ORDER BY created_at, id", ps -> {}).stream()
        .map(Stored::token)
        .toList();
  }

  public Optional<ApiToken> token(String id) {
    return find(id).map(Stored::token);
  }

  /**
   * Revokes a token; revoking twice keeps the first time.
   *
   * @return the token as it is now, or empty when there is no such token
   */
  public Optional<ApiToken> revoke(String id) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "UPDATE api_token SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL")) {
      ps.setTimestamp(1, Timestamp.from(clock.instant()));
      ps.setString(2, id);
      ps.executeUpdate();
    } catch (SQLException e) {
      throw new RegistryException("token could not be revoked: " + e.getMessage(), e);
    }
    return token(id);
  }

  private record Stored(ApiToken token, String secretHash) {}

  private Optional<Stored> find(String id) {
    if (id.isEmpty() || id.length() > 32) {
      return Optional.empty();
    }
    return query("SELECT " + COLUMNS + " FROM api_token WHERE id = ?", ps -> ps.setString(1, id))
        .stream()
        .findFirst();
  }

  private List<Stored> query(String sql, Sql.Binder binder) {
    try {
      return Sql.query(dataSource, sql, binder, TokenStore::stored);
    } catch (SQLException e) {
      throw new RegistryException("token query failed: " + e.getMessage(), e);
    }
  }

  private static Stored stored(ResultSet rs) throws SQLException {
    Timestamp revoked = rs.getTimestamp("revoked_at");
    return new Stored(
        new ApiToken(
            rs.getString("id"),
            Role.valueOf(rs.getString("role")),
            rs.getString("facility_id"),
            rs.getString("label"),
            rs.getTimestamp("created_at").toInstant(),
            revoked == null ? null : revoked.toInstant()),
        rs.getString("secret_hash"));
  }

  static String sha256(String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform must provide SHA-256", e);
    }
  }
}
