package org.labmeter.collector.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.labmeter.collector.TestBatches;
import org.labmeter.wire.SignedBatch;

/**
 * The in-process writer against the line-protocol writer: the same batches written through each
 * into its own embedded QuestDB give the same rows in both tables, a write repeated lands once, and
 * a closed store is a store error.
 */
class InProcessBatchStoreTest {
  @TempDir static Path root;
  static EmbeddedQuestDb overHttp;
  static EmbeddedQuestDb inProcess;
  static final HttpClient HTTP = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws Exception {
    overHttp = EmbeddedQuestDb.start(root.resolve("http"), 0, 0);
    inProcess = EmbeddedQuestDb.start(root.resolve("in-process"), 0, 0);
    StoreSchema.ensureQuestDb(overHttp.httpUrl());
    StoreSchema.ensureQuestDb(inProcess.httpUrl());
  }

  @AfterAll
  static void stop() {
    overHttp.close();
    inProcess.close();
  }

  private static List<BatchWrite> writes() {
    List<SignedBatch> chain =
        TestBatches.chain(TestBatches.signer(3), "agent-p", "nmr-p", 6, 1_700_000_000_000L, 4);
    List<BatchWrite> out = new ArrayList<>();
    for (int i = 0; i < chain.size(); i++) {
      out.add(new BatchWrite(chain.get(i), i != 2, 1_700_000_100_000L + i));
    }
    return out;
  }

  private static String rows(EmbeddedQuestDb db, String sql) throws Exception {
    return StoreSchema.exec(HTTP, db.httpUrl(), sql).replaceAll("\"timings\":\\{[^}]*\\}", "");
  }

  private static final String SAMPLES =
      "SELECT instrument, agent, power_w, energy_kwh, run_flag, quality, epoch, seq, verified, ts"
          + " FROM lm_samples ORDER BY ts";
  private static final String BATCHES =
      "SELECT instrument, agent, epoch, seq, sample_count, first_ts, last_ts, prev_hash, hash,"
          + " chain_ok, received_at, envelope, ts FROM lm_batches ORDER BY ts";

  @Test
  void writesTheRowsTheLineProtocolWriterWritesAndARetryLandsOnce() throws Exception {
    List<BatchWrite> w = writes();
    try (SampleWriter http =
        new SampleWriter(overHttp.httpUrl(), null, "o", "b", Duration.ofSeconds(10))) {
      http.write(w);
    }
    InProcessBatchStore store = new InProcessBatchStore(inProcess::engine);
    store.write(w);
    store.write(w.subList(1, 3)); // a retried group

    int samples = w.stream().mapToInt(b -> b.batch().batch().samples().size()).sum();
    for (EmbeddedQuestDb db : List.of(overHttp, inProcess)) {
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  rows(db, "SELECT count() FROM lm_samples").contains("[[" + samples + "]]")
                      && rows(db, "SELECT count() FROM lm_batches").contains("[[6]]"));
    }
    assertThat(rows(inProcess, SAMPLES)).isEqualTo(rows(overHttp, SAMPLES));
    assertThat(rows(inProcess, BATCHES)).isEqualTo(rows(overHttp, BATCHES));
    assertThat(rows(inProcess, "SELECT count() FROM lm_batches WHERE chain_ok = false"))
        .contains("[[1]]");
  }

  @Test
  void aClosedStoreIsAStoreError() throws Exception {
    EmbeddedQuestDb closed = EmbeddedQuestDb.start(root.resolve("closed"), 0, 0);
    StoreSchema.ensureQuestDb(closed.httpUrl());
    InProcessBatchStore store = new InProcessBatchStore(closed::engine);
    closed.close();

    assertThatThrownBy(() -> store.write(writes()))
        .isInstanceOf(StoreWriteException.class)
        .hasMessageStartingWith("store write failed");
  }
}
