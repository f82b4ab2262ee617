package org.labmeter.metering.registry;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/** The users' organisations (legal entities) in the relational store. Calls block on JDBC. */
public final class Organisations {
  private final DataSource dataSource;

  public Organisations(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  public List<Organisation> all() {
    return read("SELECT id, name, entity_type FROM organisation ORDER BY id", ps -> {});
  }

  public Optional<Organisation> find(String id) {
    return read(
            "SELECT id, name, entity_type FROM organisation WHERE id = ?",
            ps -> ps.setString(1, id))
        .stream()
        .findFirst();
  }

  /**
   * Adds an organisation.
   *
   * @throws RegistryRejection CONFLICT when the id is taken
   */
  public void add(Organisation o) {
    try {
      Sql.transaction(
          dataSource,
          c -> {
            if (!Sql.query(
                    c,
                    "SELECT id FROM organisation WHERE id = ?",
                    ps -> ps.setString(1, o.id()),
                    rs -> 1)
                .isEmpty()) {
              throw new RegistryRejection(
                  RegistryRejection.Kind.CONFLICT, "id", "organisation '" + o.id() + "' exists");
            }
            try (PreparedStatement ps =
                c.prepareStatement(
                    "INSERT INTO organisation (id, name, entity_type) VALUES (?, ?, ?)")) {
              ps.setString(1, o.id());
              ps.setString(2, o.name());
              ps.setString(3, o.entityType().name());
              ps.executeUpdate();
            }
            return null;
          });
    } catch (SQLException e) {
      if (Sql.duplicateKey(e)) {
        throw new RegistryRejection(
            RegistryRejection.Kind.CONFLICT, "id", "organisation '" + o.id() + "' exists");
      }
      throw new RegistryException("organisation could not be stored: " + e.getMessage(), e);
    }
  }

  private List<Organisation> read(String sql, Sql.Binder binder) {
    try {
      return Sql.query(
          dataSource,
          sql,
          binder,
          rs ->
              new Organisation(
                  rs.getString(1),
                  rs.getString(2),
                  Organisation.EntityType.valueOf(rs.getString(3))));
    } catch (SQLException e) {
      throw new RegistryException("organisation query failed: " + e.getMessage(), e);
    }
  }
}
