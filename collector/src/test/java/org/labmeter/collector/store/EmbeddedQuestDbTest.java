package org.labmeter.collector.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.labmeter.collector.QuestDbQuery.count;
import static org.labmeter.collector.QuestDbQuery.rows;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.labmeter.collector.TestBatches;
import org.labmeter.wire.Ed25519Signer;
import org.labmeter.wire.SignedBatch;

/** A real QuestDB in this JVM: schema, idempotent writes, restart on the same data. */
class EmbeddedQuestDbTest {
  private static final long T0 = 1_704_067_200_000L;
  private static final String SAMPLES = "select count() from lm_samples where instrument = 'nmr-1'";
  private static final String BATCHES = "select count() from lm_batches where instrument = 'nmr-1'";

  @TempDir Path root;

  @Test
  void writesLandOnceAndSurviveARestart() throws Exception {
    Ed25519Signer key = TestBatches.signer(1);
    List<SignedBatch> chain = TestBatches.chain(key, "agent-1", "nmr-1", 2, T0, 5);

    try (EmbeddedQuestDb db = EmbeddedQuestDb.start(root, 0, 0)) {
      assertThat(db.httpUrl()).isEqualTo("http://127.0.0.1:" + db.httpPort());
      assertThat(db.pgJdbcUrl()).isEqualTo("jdbc:postgresql://127.0.0.1:" + db.pgPort() + "/qdb");
      try (Socket pg = new Socket()) {
        pg.connect(new InetSocketAddress("127.0.0.1", db.pgPort()), 2_000);
      }
      assertThat(Files.readString(root.resolve("conf/server.conf")))
          .contains("line.tcp.enabled=false", "telemetry.enabled=false", "cairo.commit.mode=sync");
      // the engine runs with what the file says, not QuestDB's defaults
      assertThat(db.engine().getConfiguration().getPartitionO3SplitMinSize())
          .isEqualTo(EmbeddedQuestDb.O3_SPLIT_MIN_BYTES)
          .isLessThan(50L << 20);
      StoreSchema.ensureQuestDb(db.httpUrl());
      StoreSchema.ensureQuestDb(db.httpUrl());

      try (SampleWriter writer =
          new SampleWriter(db.httpUrl(), null, "labmeter", "labmeter", Duration.ofSeconds(10))) {
        writer.write(chain.get(0), true, T0 + 10_000);
        writer.write(chain.get(0), true, T0 + 11_000);
        writer.write(chain.get(1), true, T0 + 12_000);
      }

      // WAL is applied in order: once batch 1 is visible, the repeated batch 0 was applied too.
      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> count(db.httpUrl(), BATCHES) == 2 && count(db.httpUrl(), SAMPLES) == 10);
      JsonNode first =
          rows(
                  db.httpUrl(),
                  "select power_w, energy_kwh, run_flag, quality, epoch, seq, verified, agent"
                      + " from lm_samples where instrument = 'nmr-1' order by ts limit 1")
              .get(0);
      assertThat(first.toString()).isEqualTo("[100.0,1.0,0,0,1,0,true,\"agent-1\"]");
      JsonNode batch =
          rows(
                  db.httpUrl(),
                  "select seq, sample_count, first_ts, last_ts, prev_hash, hash, chain_ok,"
                      + " received_at from lm_batches where instrument = 'nmr-1' and seq = 0")
              .get(0);
      assertThat(batch.get(0).asLong()).isZero();
      assertThat(batch.get(1).asLong()).isEqualTo(5);
      assertThat(batch.get(2).asLong()).isEqualTo(T0);
      assertThat(batch.get(3).asLong()).isEqualTo(T0 + 4_000);
      assertThat(batch.get(4).asText()).isEqualTo("0".repeat(64));
      assertThat(batch.get(5).asText()).isEqualTo(chain.get(0).hash().toHex());
      assertThat(batch.get(6).asBoolean()).isTrue();
      // the repeated write replaced the first one
      assertThat(batch.get(7).asLong()).isEqualTo(T0 + 11_000);
      db.close();
      db.close();
    }

    try (EmbeddedQuestDb again = EmbeddedQuestDb.start(root, 0, 0)) {
      await().atMost(Duration.ofSeconds(20)).until(() -> count(again.httpUrl(), SAMPLES) == 10);
      assertThat(count(again.httpUrl(), BATCHES)).isEqualTo(2);
    }
  }
}
