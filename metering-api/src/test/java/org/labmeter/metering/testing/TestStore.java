package org.labmeter.metering.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.labmeter.metering.registry.RelationalStore;

/**
 * A fresh relational store for one test class: an in-memory H2 database, or a new schema on the
 * PostgreSQL that {@code ./labmeter test} starts and names in {@code LABMETER_TEST_PG_URL}, {@code
 * _USER} and {@code _PASSWORD}. With {@code LABMETER_TEST_REQUIRE_PG=1} a missing PostgreSQL fails
 * the test instead of skipping it. Closing drops what was created.
 */
public final class TestStore implements AutoCloseable {
  /** Which database a test runs on. */
  public enum Kind {
    H2,
    POSTGRES
  }

  private final RelationalStore store;
  private final Runnable cleanup;

  private TestStore(RelationalStore store, Runnable cleanup) {
    this.store = store;
    this.cleanup = cleanup;
  }

  public RelationalStore store() {
    return store;
  }

  /**
   * Whether PostgreSQL tests can run here.
   *
   * @throws IllegalStateException when they are required ({@code LABMETER_TEST_REQUIRE_PG=1}) but
   *     the variables are missing
   */
  public static boolean postgresAvailable() {
    boolean set = env("LABMETER_TEST_PG_URL") != null && env("LABMETER_TEST_PG_USER") != null;
    if (!set && "1".equals(env("LABMETER_TEST_REQUIRE_PG"))) {
      throw new IllegalStateException(
          "LABMETER_TEST_REQUIRE_PG=1 but LABMETER_TEST_PG_URL / LABMETER_TEST_PG_USER /"
              + " LABMETER_TEST_PG_PASSWORD are not set: run ./labmeter test, which starts"
              + " PostgreSQL and sets them");
    }
    return set;
  }

  public static TestStore open(Kind kind) {
    return switch (kind) {
      case H2 ->
          new TestStore(
              RelationalStore.open(
                  "jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", ""),
              () -> {});
      case POSTGRES -> postgres();
    };
  }

  private static TestStore postgres() {
    String url = env("LABMETER_TEST_PG_URL");
    String user = env("LABMETER_TEST_PG_USER");
    String password =
        env("LABMETER_TEST_PG_PASSWORD") == null ? "" : env("LABMETER_TEST_PG_PASSWORD");
    String schema = "t_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    execute(url, user, password, "CREATE SCHEMA " + schema);
    String scoped = url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    RelationalStore store = RelationalStore.open(scoped, user, password);
    return new TestStore(
        store, () -> execute(url, user, password, "DROP SCHEMA " + schema + " CASCADE"));
  }

  private static void execute(String url, String user, String password, String sql) {
    try (Connection c = DriverManager.getConnection(url, user, password);
        Statement s = c.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException("PostgreSQL test setup failed: " + sql, e);
    }
  }

  private static String env(String name) {
    String v = System.getenv(name);
    return v == null || v.isBlank() ? null : v;
  }

  @Override
  public void close() {
    store.close();
    cleanup.run();
  }
}
