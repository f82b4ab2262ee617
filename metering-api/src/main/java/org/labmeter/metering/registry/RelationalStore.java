package org.labmeter.metering.registry;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The relational store (H2 file by default, PostgreSQL in production): one pooled data source and
 * one set of Flyway migrations for both. Opening it brings the schema up to date.
 */
public final class RelationalStore implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(RelationalStore.class);

  private final HikariDataSource dataSource;
  private final AtomicBoolean closed = new AtomicBoolean();

  private RelationalStore(HikariDataSource dataSource) {
    this.dataSource = dataSource;
  }

  /**
   * Opens the store and migrates it.
   *
   * @param jdbcUrl e.g. {@code jdbc:h2:file:./data/registry} or {@code jdbc:postgresql://host/db}
   */
  public static RelationalStore open(String jdbcUrl, String user, String password) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(jdbcUrl);
    config.setUsername(user);
    config.setPassword(password);
    config.setMaximumPoolSize(8);
    config.setPoolName("relational-store");
    HikariDataSource dataSource = new HikariDataSource(config);
    try {
      var result =
          Flyway.configure()
              .dataSource(dataSource)
              .locations("classpath:db/migration")
              .cleanDisabled(true)
              .load()
              .migrate();
      log.info(
          "relational store {} at schema version {} ({} migrations applied)",
          redact(jdbcUrl),
          result.targetSchemaVersion,
          result.migrationsExecuted);
    } catch (RuntimeException e) {
      dataSource.close();
      throw e;
    }
    return new RelationalStore(dataSource);
  }

  public DataSource dataSource() {
    return dataSource;
  }

  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      dataSource.close();
    }
  }

  private static String redact(String jdbcUrl) {
    return jdbcUrl.replaceAll("(?i)(password=)[^;&]*", "$1***");
  }
}
