package org.labmeter.collector.store;

import com.influxdb.client.domain.WritePrecision;
import com.influxdb.client.write.Point;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.labmeter.wire.Batch;
import org.labmeter.wire.Sample;
import org.labmeter.wire.SignedBatch;

/**
 * Turns one accepted batch into the points of the two measurements. Kept apart from the client so
 * the mapping (names, types, omitted NaN) can be checked as line-protocol text.
 */
final class BatchPoints {
  static final String SAMPLES = "lm_samples";
  static final String BATCHES = "lm_batches";

  private BatchPoints() {}

  /**
   * @param chainOk whether the batch links to its chain head; the signature is already checked, so
   *     this is also the samples' {@code verified} flag
   * @param receivedAtMillis when the collector received the batch; {@code written_at} says when
   *     this row was (re)written: a relinked or swept batch, or one replayed from the spool, is
   *     written later than it was received, and readers that cache or aggregate look for changes by
   *     it
   */
  static List<Point> of(SignedBatch signed, boolean chainOk, long receivedAtMillis) {
    Batch batch = signed.batch();
    long writtenAt = System.currentTimeMillis();
    List<Point> points = new ArrayList<>(batch.samples().size() + 1);
    for (Sample s : batch.samples()) {
      Point p =
          Point.measurement(SAMPLES)
              .addTag("instrument", batch.instrumentId())
              .addTag("agent", batch.agentId());
      if (Double.isFinite(s.powerW())) {
        p.addField("power_w", s.powerW());
      }
      if (Double.isFinite(s.energyKwh())) {
        p.addField("energy_kwh", s.energyKwh());
      }
      p.addField("run_flag", (long) s.runFlag().code())
          .addField("quality", (long) s.quality().code())
          .addField("epoch", batch.epoch())
          .addField("seq", batch.sequence())
          .addField("verified", chainOk)
          .time(s.timestampMillis(), WritePrecision.MS);
      points.add(p);
    }
    points.add(
        Point.measurement(BATCHES)
            .addTag("instrument", batch.instrumentId())
            .addTag("agent", batch.agentId())
            .addField("epoch", batch.epoch())
            .addField("seq", batch.sequence())
            .addField("sample_count", (long) batch.samples().size())
            .addField("first_ts", batch.firstTimestampMillis())
            .addField("last_ts", batch.lastTimestampMillis())
            .addField("prev_hash", batch.previousHash().toHex())
            .addField("hash", signed.hash().toHex())
            .addField("chain_ok", chainOk)
            .addField("received_at", receivedAtMillis)
            .addField("written_at", writtenAt)
            .addField("envelope", Base64.getEncoder().encodeToString(signed.envelope()))
            .time(batch.firstTimestampMillis(), WritePrecision.MS));
    return points;
  }
}
