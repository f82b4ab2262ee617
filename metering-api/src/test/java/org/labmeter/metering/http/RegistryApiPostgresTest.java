package org.labmeter.metering.http;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.BeforeAll;
import org.labmeter.metering.testing.TestStore;

/**
 * {@link RegistryApiContract} on PostgreSQL, in a schema of its own; skipped where {@code
 * LABMETER_TEST_PG_URL} is not set, failed where {@code LABMETER_TEST_REQUIRE_PG=1} as well.
 */
class RegistryApiPostgresTest extends RegistryApiContract {
  @Override
  TestStore.Kind kind() {
    return TestStore.Kind.POSTGRES;
  }

  @BeforeAll
  @Override
  void start() throws Exception {
    assumeTrue(TestStore.postgresAvailable(), "LABMETER_TEST_PG_URL is not set");
    super.start();
  }
}
