package org.labmeter.collector.store;

import com.influxdb.client.domain.WritePrecision;
import com.influxdb.client.write.Point;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
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
   * Appends the same lines as {@link #of} (tags and fields in the same sorted order, one line per
   * point, each ending in a newline) straight to {@code out}: no {@link Point} objects, no decimal
   * formatter per double. This is the write path's form; {@link #of} stays the reference.
   */
  static void appendTo(
      StringBuilder out,
      SignedBatch signed,
      boolean chainOk,
      long receivedAtMillis,
      long writtenAtMillis) {
    Batch batch = signed.batch();
    int tagsStart = out.length();
    out.append(',');
    tag(out, "agent", batch.agentId()).append(',');
    tag(out, "instrument", batch.instrumentId()).append(' ');
    int tagsEnd = out.length();
    String tags = out.substring(tagsStart, tagsEnd);
    out.setLength(tagsStart);
    for (Sample s : batch.samples()) {
      out.append(SAMPLES).append(tags);
      if (Double.isFinite(s.energyKwh())) {
        appendDouble(out.append("energy_kwh="), s.energyKwh()).append(',');
      }
      out.append("epoch=").append(batch.epoch()).append("i,");
      if (Double.isFinite(s.powerW())) {
        appendDouble(out.append("power_w="), s.powerW()).append(',');
      }
      out.append("quality=").append(s.quality().code()).append("i,");
      out.append("run_flag=").append(s.runFlag().code()).append("i,");
      out.append("seq=").append(batch.sequence()).append("i,");
      out.append("verified=").append(chainOk).append(' ');
      out.append(s.timestampMillis()).append('\n');
    }
    out.append(BATCHES).append(tags);
    out.append("chain_ok=").append(chainOk).append(",envelope=\"");
    appendBase64(out, signed);
    out.append("\",epoch=").append(batch.epoch());
    out.append("i,first_ts=").append(batch.firstTimestampMillis());
    out.append("i,hash=\"").append(signed.hash().toHex());
    out.append("\",last_ts=").append(batch.lastTimestampMillis());
    out.append("i,prev_hash=\"").append(batch.previousHash().toHex());
    out.append("\",received_at=").append(receivedAtMillis);
    out.append("i,sample_count=").append(batch.samples().size());
    out.append("i,seq=").append(batch.sequence());
    out.append("i,written_at=").append(writtenAtMillis);
    out.append("i ").append(batch.firstTimestampMillis()).append('\n');
  }

  private static StringBuilder tag(StringBuilder out, String key, String value) {
    out.append(key).append('=');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == ',' || c == '=' || c == ' ') {
        out.append('\\');
      }
      out.append(c);
    }
    return out;
  }

  /** As the client writes a double: plain decimal digits, at least one after the point. */
  private static StringBuilder appendDouble(StringBuilder out, double value) {
    double abs = Math.abs(value);
    if (abs == 0 || (abs >= 1e-3 && abs < 1e7)) {
      return out.append(value); // Double.toString: no exponent in this range
    }
    String plain = new BigDecimal(Double.toString(value)).stripTrailingZeros().toPlainString();
    out.append(plain);
    return plain.indexOf('.') < 0 ? out.append(".0") : out;
  }

  /** The envelope in base64, without the copies {@code Base64.encodeToString} makes. */
  private static void appendBase64(StringBuilder out, SignedBatch signed) {
    ByteBuffer encoded = Base64.getEncoder().encode(signed.envelopeView());
    while (encoded.hasRemaining()) {
      out.append((char) encoded.get());
    }
  }

  /**
   * @param chainOk whether the batch links to its chain head; the signature is already checked, so
   *     this is also the samples' {@code verified} flag
   * @param writtenAtMillis now, when the row is written
   * @param receivedAtMillis when the collector received the batch; {@code written_at} says when
   *     this row was (re)written: a relinked or swept batch, or one replayed from the spool, is
   *     written later than it was received, and readers that cache or aggregate look for changes by
   *     it
   */
  static List<Point> of(
      SignedBatch signed, boolean chainOk, long receivedAtMillis, long writtenAtMillis) {
    Batch batch = signed.batch();
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
            .addField("written_at", writtenAtMillis)
            .addField("envelope", Base64.getEncoder().encodeToString(signed.envelope()))
            .time(batch.firstTimestampMillis(), WritePrecision.MS));
    return points;
  }
}
