package org.labmeter.metering.http;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.labmeter.metering.testing.TestStore;

/**
 * Every documented operation again, with the registry, tokens, audit log, sessions, ledger and
 * periods on the PostgreSQL that {@code ./labmeter test} starts (a fresh schema, dropped after).
 */
class ContractConformancePostgresTest extends ContractConformanceTest {
  @Override
  TestStore.Kind kind() {
    assumeTrue(TestStore.postgresAvailable(), "LABMETER_TEST_PG_URL is not set");
    return TestStore.Kind.POSTGRES;
  }
}
