package org.labmeter.collector.verify;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.labmeter.wire.BatchHash;

class JdbcChainHeadsTest {
  private JdbcDataSource dataSource;

  @BeforeEach
  void createDatabase() {
    dataSource = new JdbcDataSource();
    dataSource.setURL("jdbc:h2:mem:heads-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
  }

  @Test
  void firstAdvanceInsertsLaterOnesUpdateAndANewInstanceReadsTheLatest() throws Exception {
    Clock clock = Clock.fixed(Instant.parse("2024-01-01T00:00:00Z"), ZoneOffset.UTC);
    JdbcChainHeads heads = new JdbcChainHeads(dataSource, clock);
    heads.createTableIfMissing();
    heads.createTableIfMissing();
    BatchHash h0 = BatchHash.digest(new byte[] {0});
    BatchHash h1 = BatchHash.digest(new byte[] {1});

    assertThat(heads.find("agent-1", "nmr-1")).isEmpty();
    heads.advance("agent-1", "nmr-1", new ChainHead(0, h0));
    heads.advance("agent-1", "nmr-1", new ChainHead(1, h1));
    heads.advance("agent-1", "ms-1", new ChainHead(7, h0));

    JdbcChainHeads reopened = new JdbcChainHeads(dataSource);
    assertThat(reopened.find("agent-1", "nmr-1")).contains(new ChainHead(1, h1));
    assertThat(reopened.find("agent-1", "ms-1")).contains(new ChainHead(7, h0));
    assertThat(reopened.find("agent-2", "nmr-1")).isEmpty();
    try (Connection c = dataSource.getConnection();
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT COUNT(*), MAX(hash), MAX(updated_at) FROM chain_head"
                    + " WHERE agent_id = 'agent-1' AND instrument_id = 'nmr-1'")) {
      rs.next();
      assertThat(rs.getInt(1)).isEqualTo(1);
      assertThat(rs.getString(2)).isEqualTo(h1.toHex()).hasSize(64);
      assertThat(rs.getTimestamp(3).toInstant()).isEqualTo(Instant.parse("2024-01-01T00:00:00Z"));
    }
  }

  @Test
  void headsOfAGroupAreSavedTogetherInsertingOnlyTheNewChains() {
    JdbcChainHeads heads = new JdbcChainHeads(dataSource);
    heads.createTableIfMissing();
    BatchHash h0 = BatchHash.digest(new byte[] {0});
    BatchHash h1 = BatchHash.digest(new byte[] {1});
    heads.advance("agent-1", "nmr-1", new ChainHead(4, h0));
    Map<ChainId, ChainHead> group = new LinkedHashMap<>();
    group.put(new ChainId("agent-1", "nmr-1"), new ChainHead(9, h1));
    group.put(new ChainId("agent-2", "nmr-2"), new ChainHead(0, h0));
    group.put(new ChainId("agent-3", "ms-1"), new ChainHead(3, h1));

    heads.advanceAll(group);

    assertThat(heads.find("agent-1", "nmr-1")).contains(new ChainHead(9, h1));
    JdbcChainHeads reopened = new JdbcChainHeads(dataSource);
    assertThat(reopened.find("agent-1", "nmr-1")).contains(new ChainHead(9, h1));
    assertThat(reopened.find("agent-2", "nmr-2")).contains(new ChainHead(0, h0));
    assertThat(reopened.find("agent-3", "ms-1")).contains(new ChainHead(3, h1));
  }
}
