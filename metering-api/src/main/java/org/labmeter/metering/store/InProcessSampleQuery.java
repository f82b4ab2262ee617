package org.labmeter.metering.store;

import io.questdb.cairo.CairoEngine;
import io.questdb.cairo.CairoException;
import io.questdb.cairo.security.AllowAllSecurityContext;
import io.questdb.cairo.sql.Record;
import io.questdb.cairo.sql.RecordCursor;
import io.questdb.cairo.sql.RecordCursorFactory;
import io.questdb.griffin.SqlException;
import io.questdb.griffin.SqlExecutionContextImpl;
import io.questdb.griffin.engine.functions.bind.BindVariableServiceImpl;
import org.labmeter.metering.derive.ObservationSeries;
import org.labmeter.wire.Quality;
import org.labmeter.wire.RunFlag;

/**
 * Reads {@code lm_samples} from a QuestDB engine running in this JVM (the embedded store), through
 * QuestDB's own query cursor: the same SQL as over the PostgreSQL wire, without encoding every row
 * into wire frames on one side and decoding it on the other. Used for long windows, where that
 * encoding was most of the read (a year at 1 Hz is 31.5 million rows).
 */
final class InProcessSampleQuery {
  private static final String QUERY =
      "SELECT ts, power_w, run_flag, quality, verified FROM lm_samples"
          + " WHERE instrument = $1 AND ts >= $2 AND ts < $3";
  private static final long NULL_LONG = Long.MIN_VALUE;

  private final CairoEngine engine;

  InProcessSampleQuery(CairoEngine engine) {
    this.engine = engine;
  }

  /** Samples of [fromMillis, toMillis) in time order; the QuestDB table must exist. */
  ObservationSeries read(String instrumentId, long fromMillis, long toMillis) {
    ObservationSeries.Builder series = ObservationSeries.builder();
    try (SqlExecutionContextImpl ctx = new SqlExecutionContextImpl(engine, 1)) {
      ctx.with(
          AllowAllSecurityContext.INSTANCE, new BindVariableServiceImpl(engine.getConfiguration()));
      ctx.getBindVariableService().setStr(0, instrumentId);
      ctx.getBindVariableService().setTimestamp(1, Math.multiplyExact(fromMillis, 1000L));
      ctx.getBindVariableService().setTimestamp(2, Math.multiplyExact(toMillis, 1000L));
      try (RecordCursorFactory factory = engine.select(QUERY, ctx);
          RecordCursor cursor = factory.getCursor(ctx)) {
        Record r = cursor.getRecord();
        while (cursor.hasNext()) {
          long tsMillis = Math.floorDiv(r.getTimestamp(0), 1000L);
          double power = r.getDouble(1); // QuestDB's null double is NaN, as the series wants
          long flagCode = r.getLong(2);
          long qualityCode = r.getLong(3);
          RunFlag flag = flagCode == NULL_LONG ? null : RunFlag.ofCode((int) flagCode);
          Quality quality = qualityCode == NULL_LONG ? null : Quality.ofCode((int) qualityCode);
          series.add(
              tsMillis,
              power,
              flag == null ? RunFlag.NONE : flag,
              quality == null ? Quality.UNAVAILABLE : quality,
              r.getBool(4));
        }
      }
    } catch (SqlException | CairoException e) {
      throw new StoreReadException(
          "reading samples of instrument " + instrumentId + " failed: " + e.getMessage(), e);
    }
    return series.build();
  }
}
