package org.labmeter.collector.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.labmeter.collector.QuestDbQuery.count;
import static org.labmeter.collector.QuestDbQuery.rows;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.labmeter.collector.records.AgentStatus;
import org.labmeter.collector.verify.QuarantinedPayload;
import org.labmeter.collector.verify.RejectReason;

/** The quarantine and agent-status tables in a real QuestDB, read back as the API would. */
class RecordTablesTest {
  private static final long T0 = 1_704_067_200_000L;

  @TempDir Path root;

  @Test
  void quarantineRowsKeepTheReasonAndACappedPayloadAndStatusRowsTheLatestState() throws Exception {
    byte[] big = new byte[20_000];
    Arrays.fill(big, (byte) 0x5a);
    try (EmbeddedQuestDb db = EmbeddedQuestDb.start(root, 0, 0)) {
      String url = db.httpUrl();
      StoreSchema.ensureQuestDb(url);
      try (SampleWriter writer =
              new SampleWriter(url, null, "labmeter", "labmeter", Duration.ofSeconds(10));
          RecordTables records = new RecordTables(writer, new SimpleMeterRegistry())) {
        records.quarantined(
            new QuarantinedPayload(
                "agent-1",
                "labmeter/v1/agent-1/nmr-1/telemetry",
                RejectReason.BAD_SIGNATURE,
                "signature does not verify",
                Instant.ofEpochMilli(T0),
                big));
        records.status(new AgentStatus("agent-1", "online", 3, T0 - 5, T0));
        records.status(new AgentStatus("agent-2", "online", 1, T0, T0 + 1));
        records.status(new AgentStatus("agent-1", "offline", 3, T0 - 5, T0 + 2_000));
        await()
            .atMost(Duration.ofSeconds(20))
            .until(
                () ->
                    count(url, "select count() from lm_agent_status") == 3
                        && count(url, "select count() from lm_quarantine") == 1);
      }
      JsonNode q =
          rows(
                  url,
                  "select agent, reason, topic, detail, payload_bytes, payload,"
                      + " cast(received_at as long) from lm_quarantine")
              .get(0);
      assertThat(q.get(0).asText()).isEqualTo("agent-1");
      assertThat(q.get(1).asText()).isEqualTo("bad_signature");
      assertThat(q.get(2).asText()).isEqualTo("labmeter/v1/agent-1/nmr-1/telemetry");
      assertThat(q.get(3).asText()).isEqualTo("signature does not verify");
      assertThat(q.get(4).asLong()).isEqualTo(20_000);
      assertThat(Base64.getDecoder().decode(q.get(5).asText()))
          .hasSize(RecordTables.PAYLOAD_CAP)
          .containsOnly((byte) 0x5a);
      assertThat(q.get(6).asLong()).isEqualTo(T0 * 1000); // microseconds
      List<QuarantineReader.Row> listed =
          new QuarantineReader(url).newest("agent-1", "bad_signature", 10);
      assertThat(listed)
          .singleElement()
          .satisfies(
              r -> {
                assertThat(r.receivedAt()).isEqualTo(Instant.ofEpochMilli(T0));
                assertThat(r.payloadBytes()).isEqualTo(20_000);
              });
      assertThat(new QuarantineReader(url).newest("agent-2", null, 10)).isEmpty();
      JsonNode latest =
          rows(
              url,
              "select agent, state, epoch from lm_agent_status LATEST ON ts PARTITION BY agent"
                  + " order by agent");
      assertThat(latest.toString())
          .isEqualTo("[[\"agent-1\",\"offline\",3],[\"agent-2\",\"online\",1]]");
    }
  }
}
