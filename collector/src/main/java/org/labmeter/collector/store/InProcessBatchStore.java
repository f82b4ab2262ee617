package org.labmeter.collector.store;

import io.questdb.cairo.CairoEngine;
import io.questdb.cairo.TableToken;
import io.questdb.cairo.TableWriter;
import io.questdb.cairo.sql.TableRecordMetadata;
import io.questdb.cairo.wal.WalWriter;
import io.questdb.std.str.Utf8String;
import java.util.Base64;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.labmeter.wire.Batch;
import org.labmeter.wire.Sample;
import org.labmeter.wire.SignedBatch;

/**
 * Writes accepted batches into a QuestDB engine running in this JVM (the embedded store) through
 * its WAL writers: the same rows as {@link SampleWriter} sends as line protocol ({@link
 * BatchPoints}), without formatting text on this side and parsing it over HTTP on the other. One
 * commit per table per call, fsync'd as the engine's commit mode says; retried writes land once
 * through the tables' dedup keys, as over HTTP. Thread-safe: each call borrows its own writers.
 */
public final class InProcessBatchStore implements BatchStore {
  private final Supplier<CairoEngine> engine;

  /**
   * @param engine the running engine; asked at every write, so a restarted store is picked up
   */
  public InProcessBatchStore(Supplier<CairoEngine> engine) {
    this.engine = engine;
  }

  @Override
  public void write(List<BatchWrite> batches) throws StoreWriteException {
    if (batches.isEmpty()) {
      return;
    }
    long writtenAt = System.currentTimeMillis();
    try {
      CairoEngine e = engine.get();
      inOneCommit(e, BatchPoints.SAMPLES, w -> writeSamples(w, batches));
      inOneCommit(e, BatchPoints.BATCHES, w -> writeBatches(w, batches, writtenAt));
    } catch (RuntimeException e) {
      throw new StoreWriteException("store write failed: " + e.getMessage(), e);
    }
  }

  /** Rows appended by {@code rows} to {@code table}, committed together or rolled back. */
  private static void inOneCommit(CairoEngine engine, String table, Consumer<WalWriter> rows) {
    TableToken token = engine.verifyTableName(table);
    try (WalWriter w = engine.getWalWriter(token)) {
      try {
        rows.accept(w);
        w.commit();
      } catch (RuntimeException e) {
        w.rollback();
        throw e;
      }
    }
  }

  private static void writeSamples(WalWriter w, List<BatchWrite> batches) {
    TableRecordMetadata m = w.getMetadata();
    int instrument = m.getColumnIndex("instrument");
    int agent = m.getColumnIndex("agent");
    int power = m.getColumnIndex("power_w");
    int energy = m.getColumnIndex("energy_kwh");
    int runFlag = m.getColumnIndex("run_flag");
    int quality = m.getColumnIndex("quality");
    int epoch = m.getColumnIndex("epoch");
    int seq = m.getColumnIndex("seq");
    int verified = m.getColumnIndex("verified");
    for (BatchWrite b : batches) {
      Batch batch = b.batch().batch();
      for (Sample s : batch.samples()) {
        TableWriter.Row r = w.newRow(s.timestampMillis() * 1000L);
        r.putSym(instrument, batch.instrumentId());
        r.putSym(agent, batch.agentId());
        if (Double.isFinite(s.powerW())) {
          r.putDouble(power, s.powerW());
        }
        if (Double.isFinite(s.energyKwh())) {
          r.putDouble(energy, s.energyKwh());
        }
        r.putLong(runFlag, s.runFlag().code());
        r.putLong(quality, s.quality().code());
        r.putLong(epoch, batch.epoch());
        r.putLong(seq, batch.sequence());
        r.putBool(verified, b.chainOk());
        r.append();
      }
    }
  }

  private static void writeBatches(WalWriter w, List<BatchWrite> batches, long writtenAt) {
    TableRecordMetadata m = w.getMetadata();
    int instrument = m.getColumnIndex("instrument");
    int agent = m.getColumnIndex("agent");
    int epoch = m.getColumnIndex("epoch");
    int seq = m.getColumnIndex("seq");
    int sampleCount = m.getColumnIndex("sample_count");
    int firstTs = m.getColumnIndex("first_ts");
    int lastTs = m.getColumnIndex("last_ts");
    int prevHash = m.getColumnIndex("prev_hash");
    int hash = m.getColumnIndex("hash");
    int chainOk = m.getColumnIndex("chain_ok");
    int receivedAt = m.getColumnIndex("received_at");
    int envelope = m.getColumnIndex("envelope");
    int writtenAtColumn = m.getColumnIndex("written_at");
    for (BatchWrite b : batches) {
      SignedBatch signed = b.batch();
      Batch batch = signed.batch();
      TableWriter.Row r = w.newRow(batch.firstTimestampMillis() * 1000L);
      r.putSym(instrument, batch.instrumentId());
      r.putSym(agent, batch.agentId());
      r.putLong(epoch, batch.epoch());
      r.putLong(seq, batch.sequence());
      r.putLong(sampleCount, batch.samples().size());
      r.putLong(firstTs, batch.firstTimestampMillis());
      r.putLong(lastTs, batch.lastTimestampMillis());
      r.putVarchar(prevHash, new Utf8String(batch.previousHash().toHex()));
      r.putVarchar(hash, new Utf8String(signed.hash().toHex()));
      r.putBool(chainOk, b.chainOk());
      r.putLong(receivedAt, b.receivedAtMillis());
      r.putVarchar(envelope, new Utf8String(Base64.getEncoder().encode(signed.envelope()), true));
      r.putLong(writtenAtColumn, writtenAt);
      r.append();
    }
  }
}
