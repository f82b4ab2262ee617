package org.labmeter.collector.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.UUID;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.labmeter.collector.TestBatches;
import org.labmeter.wire.AgentPublicKey;

class JdbcAgentDirectoryTest {
  private final AgentPublicKey key = TestBatches.signer(3).publicKey();
  private JdbcDataSource dataSource;

  @BeforeEach
  void createRegistry() throws SQLException {
    dataSource = new JdbcDataSource();
    dataSource.setURL("jdbc:h2:mem:registry-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
    sql(
        "CREATE TABLE agent (id VARCHAR(64) PRIMARY KEY, credential_hash VARCHAR(200),"
            + " public_key VARCHAR(64), status VARCHAR(16))",
        "CREATE TABLE agent_instrument (agent_id VARCHAR(64), instrument_id VARCHAR(64))",
        "INSERT INTO agent VALUES ('agent-1', 'pbkdf2-sha256$1000$c2FsdA==$aGFzaA==', '"
            + key.toBase64()
            + "', 'APPROVED')",
        "INSERT INTO agent VALUES ('agent-2', 'h', '" + key.toBase64() + "', 'PENDING')",
        "INSERT INTO agent VALUES ('agent-3', 'h', 'bm90IGEga2V5', 'APPROVED')",
        "INSERT INTO agent_instrument VALUES ('agent-1', 'nmr-1')",
        "INSERT INTO agent_instrument VALUES ('agent-1', 'ms-1')",
        "INSERT INTO agent_instrument VALUES ('agent-2', 'sem-1')");
  }

  private void sql(String... statements) throws SQLException {
    try (Connection c = dataSource.getConnection();
        Statement s = c.createStatement()) {
      for (String statement : statements) {
        s.execute(statement);
      }
    }
  }

  @Test
  void readsAnApprovedAgentWithItsInstrumentsAndKey() {
    AgentRecord agent = new JdbcAgentDirectory(dataSource).find("agent-1").orElseThrow();

    assertThat(agent.agentId()).isEqualTo("agent-1");
    assertThat(agent.credentialHash()).isEqualTo("pbkdf2-sha256$1000$c2FsdA==$aGFzaA==");
    assertThat(agent.publicKey()).isEqualTo(key);
    assertThat(agent.instrumentIds()).containsExactlyInAnyOrder("nmr-1", "ms-1");
    assertThat(agent.enabled()).isTrue();
  }

  @Test
  void anAgentNotApprovedIsDisabledAndAnUnknownOneIsAbsent() {
    JdbcAgentDirectory directory = new JdbcAgentDirectory(dataSource);

    assertThat(directory.find("agent-2").orElseThrow().enabled()).isFalse();
    assertThat(directory.find("agent-9")).isEmpty();
  }

  @Test
  void anUnusableStoredKeyMakesTheAgentAbsent() {
    assertThat(new JdbcAgentDirectory(dataSource).find("agent-3")).isEmpty();
  }

  @Test
  void answersAreCachedUntilInvalidated() throws SQLException {
    JdbcAgentDirectory directory = new JdbcAgentDirectory(dataSource, Duration.ofMinutes(5));
    assertThat(directory.find("agent-1").orElseThrow().enabled()).isTrue();

    sql("UPDATE agent SET status = 'REVOKED' WHERE id = 'agent-1'");

    assertThat(directory.find("agent-1").orElseThrow().enabled()).isTrue();
    directory.invalidate("agent-1");
    assertThat(directory.find("agent-1").orElseThrow().enabled()).isFalse();
    assertThat(
            new JdbcAgentDirectory(dataSource, Duration.ZERO)
                .find("agent-1")
                .orElseThrow()
                .enabled())
        .isFalse();
  }

  @Test
  void aBrokenRegistryIsAnErrorNotAnAbsentAgent() throws SQLException {
    sql("DROP TABLE agent_instrument");

    assertThatThrownBy(() -> new JdbcAgentDirectory(dataSource).find("agent-1"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("agent registry query failed");
  }
}
