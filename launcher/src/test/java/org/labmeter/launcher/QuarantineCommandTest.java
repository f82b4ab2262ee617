package org.labmeter.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.labmeter.collector.store.EmbeddedQuestDb;
import org.labmeter.collector.store.QuarantineReader;
import org.labmeter.collector.store.RecordTables;
import org.labmeter.collector.store.SampleWriter;
import org.labmeter.collector.store.StoreSchema;
import org.labmeter.collector.verify.QuarantinedPayload;
import org.labmeter.collector.verify.RejectReason;
import picocli.CommandLine;

/** {@code labmeter quarantine list} against a QuestDB holding one refused payload. */
class QuarantineCommandTest {
  @TempDir Path dir;

  @Test
  void listsTheRefusalsNewestFirstWithTheirReason() throws Exception {
    try (EmbeddedQuestDb db = EmbeddedQuestDb.start(dir, 0, 0)) {
      StoreSchema.ensureQuestDb(db.httpUrl());
      try (SampleWriter writer =
              new SampleWriter(db.httpUrl(), null, "labmeter", "labmeter", Duration.ofSeconds(5));
          RecordTables records = new RecordTables(writer, new SimpleMeterRegistry())) {
        records.quarantined(
            new QuarantinedPayload(
                "agent-q",
                "labmeter/v1/agent-q/nmr-q/telemetry",
                RejectReason.FORK,
                "sequence 4 is already stored",
                Instant.parse("2024-01-01T00:00:00Z"),
                new byte[] {1, 2, 3}));
      }
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> !new QuarantineReader(db.httpUrl()).newest(null, null, 1).isEmpty());
      ByteArrayOutputStream output = new ByteArrayOutputStream();
      PrintStream before = System.out;
      System.setOut(new PrintStream(output, true, StandardCharsets.UTF_8));
      int status;
      try {
        status =
            new CommandLine(new LabMeterCli())
                .execute(
                    "quarantine",
                    "list",
                    "--questdb-http",
                    db.httpUrl(),
                    "--agent",
                    "agent-q",
                    "--payload");
      } finally {
        System.setOut(before);
      }
      assertThat(status).isZero();
      assertThat(output.toString(StandardCharsets.UTF_8))
          .contains(
              "2024-01-01T00:00:00Z",
              "agent-q",
              "fork",
              "3 B",
              "sequence 4 is already stored",
              "  AQID",
              "1 refused payloads shown");
    }
  }
}
