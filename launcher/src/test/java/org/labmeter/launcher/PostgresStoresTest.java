package org.labmeter.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.labmeter.collector.auth.AgentRecord;
import org.labmeter.collector.auth.CredentialHash;
import org.labmeter.collector.auth.JdbcAgentDirectory;
import org.labmeter.collector.verify.ChainHead;
import org.labmeter.collector.verify.JdbcChainHeads;
import org.labmeter.metering.derive.DerivationProfile;
import org.labmeter.metering.registry.AgentEnrollment;
import org.labmeter.metering.registry.Facility;
import org.labmeter.metering.registry.Instrument;
import org.labmeter.metering.registry.ProfileVersion;
import org.labmeter.metering.registry.Registry;
import org.labmeter.metering.registry.RelationalStore;
import org.labmeter.wire.BatchHash;
import org.labmeter.wire.Ed25519Signer;

/**
 * The production relational store: the same Flyway migrations, the registry and the collector's
 * JDBC classes on a real PostgreSQL, which {@code ./labmeter test} installs, starts and points the
 * tests at through {@code LABMETER_TEST_PG_URL}, {@code _USER} and {@code _PASSWORD}.
 */
class PostgresStoresTest {

  static String env(String name) {
    String value = System.getenv(name);
    if (value == null || value.isBlank()) {
      throw new IllegalStateException(
          name
              + " is not set: run the suite with ./labmeter test, which starts PostgreSQL and sets"
              + " LABMETER_TEST_PG_URL, LABMETER_TEST_PG_USER and LABMETER_TEST_PG_PASSWORD");
    }
    return value;
  }

  @Test
  void migrationsRegistryAndCollectorTablesWorkOnPostgres() {
    String run = UUID.randomUUID().toString().substring(0, 8);
    String facility = "pg-inst-" + run;
    String instrument = "pg-nmr-" + run;
    String agent = "pg-agent-" + run;
    try (RelationalStore store =
        RelationalStore.open(
            env("LABMETER_TEST_PG_URL"),
            env("LABMETER_TEST_PG_USER"),
            env("LABMETER_TEST_PG_PASSWORD"))) {
      Registry registry = new Registry(store.dataSource());
      registry.saveFacility(new Facility(facility, "PG Institute", null));
      registry.saveFacility(new Facility(facility, "PG Institute of Physics", "物理研究所"));
      assertThat(registry.facilities())
          .contains(new Facility(facility, "PG Institute of Physics", "物理研究所"));

      DerivationProfile profile =
          DerivationProfile.create(
              b ->
                  b.offBelowW(12.5)
                      .onThresholdW(3700)
                      .offThresholdW(3500)
                      .minOn(Duration.ofSeconds(60))
                      .minOff(Duration.ofSeconds(60))
                      .maxSampleGap(Duration.ofSeconds(5)));
      Instant from = Instant.parse("2026-01-01T00:00:00Z");
      Instrument nmr = new Instrument(instrument, facility, "NMR", "核磁共振", "600", "A-1");
      registry.addInstrument(nmr, profile, from);
      assertThat(registry.instrument(instrument)).contains(nmr);
      ProfileVersion version = registry.profileAt(instrument, from.plusSeconds(1)).orElseThrow();
      assertThat(version.version()).isEqualTo(1);
      assertThat(version.validFrom()).isEqualTo(from);
      assertThat(version.profile()).isEqualTo(profile);
      assertThat(version.profile().parameterHash()).isEqualTo(profile.parameterHash());

      Ed25519Signer key = Ed25519Signer.fromSeed(new byte[32]);
      registry.enrollAgent(
          new AgentEnrollment(
              agent,
              facility,
              key.publicKey(),
              CredentialHash.create("pg-secret".toCharArray(), 1_000).encoded(),
              AgentEnrollment.Status.APPROVED,
              Set.of(instrument)));

      AgentRecord record = new JdbcAgentDirectory(store.dataSource()).find(agent).orElseThrow();
      assertThat(record.publicKey()).isEqualTo(key.publicKey());
      assertThat(record.instrumentIds()).containsExactly(instrument);
      assertThat(record.enabled()).isTrue();
      assertThat(CredentialHash.matches(record.credentialHash(), "pg-secret".toCharArray()))
          .isTrue();

      BatchHash h0 = BatchHash.digest(new byte[] {0});
      BatchHash h1 = BatchHash.digest(new byte[] {1});
      JdbcChainHeads heads = new JdbcChainHeads(store.dataSource());
      heads.advance(agent, instrument, new ChainHead(0, h0));
      heads.advance(agent, instrument, new ChainHead(1, h1));
      assertThat(new JdbcChainHeads(store.dataSource()).find(agent, instrument))
          .contains(new ChainHead(1, h1));
    }
  }
}
