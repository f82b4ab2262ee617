package org.labmeter.collector.store;

import static org.assertj.core.api.Assertions.assertThat;

import com.influxdb.client.domain.WritePrecision;
import com.influxdb.client.write.Point;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.labmeter.collector.TestBatches;
import org.labmeter.wire.Batch;
import org.labmeter.wire.BatchCodec;
import org.labmeter.wire.BatchHash;
import org.labmeter.wire.Quality;
import org.labmeter.wire.RunFlag;
import org.labmeter.wire.Sample;
import org.labmeter.wire.SignedBatch;

class BatchPointsTest {
  private static final long T0 = 1_704_067_200_000L;

  @Test
  void eachSampleIsOneLineAndTheBatchRecordCarriesTheEvidence() {
    BatchHash previous = BatchHash.digest(new byte[] {9});
    SignedBatch signed =
        BatchCodec.sign(
            new Batch(
                "agent-1",
                "nmr-1",
                3,
                12,
                previous,
                T0 + 2_000,
                0,
                List.of(
                    new Sample(T0, 1500.5, 42.25, RunFlag.RUNNING, Quality.GOOD),
                    Sample.unavailable(T0 + 1_000))),
            TestBatches.signer(1));

    List<Point> points = BatchPoints.of(signed, true, T0 + 5_000, T0 + 6_000);

    assertThat(points).hasSize(3);
    assertThat(points.get(0).toLineProtocol())
        .isEqualTo(
            "lm_samples,agent=agent-1,instrument=nmr-1 energy_kwh=42.25,epoch=3i,power_w=1500.5,"
                + "quality=0i,run_flag=2i,seq=12i,verified=true 1704067200000");
    // NaN power and energy are left out, never written as 0
    assertThat(points.get(1).toLineProtocol())
        .isEqualTo(
            "lm_samples,agent=agent-1,instrument=nmr-1 epoch=3i,quality=2i,run_flag=0i,seq=12i,"
                + "verified=true 1704067201000");
    assertThat(points.get(2).toLineProtocol())
        .isEqualTo(
            "lm_batches,agent=agent-1,instrument=nmr-1 chain_ok=true,envelope=\""
                + Base64.getEncoder().encodeToString(signed.envelope())
                + "\",epoch=3i,first_ts=1704067200000i,hash=\""
                + signed.hash().toHex()
                + "\",last_ts=1704067201000i,prev_hash=\""
                + previous.toHex()
                + "\",received_at=1704067205000i,sample_count=2i,seq=12i,written_at=1704067206000i"
                + " 1704067200000");
    assertThat(points.get(2).getPrecision()).isEqualTo(WritePrecision.MS);
  }

  @Test
  void anUnlinkedBatchIsWrittenAsUnverified() {
    SignedBatch signed =
        TestBatches.batch(TestBatches.signer(1), "agent-1", "nmr-1", 5, BatchHash.ZERO, T0, 1);

    List<Point> points = BatchPoints.of(signed, false, T0, T0 + 1_000);

    assertThat(points.get(0).toLineProtocol()).contains("verified=false");
    assertThat(points.get(1).toLineProtocol()).contains("chain_ok=false");
  }

  @Test
  void theDirectLinesAreThePointsLines() {
    double[] values = {
      0.0,
      -0.0,
      1.0,
      1500.5,
      42.25,
      0.001,
      0.0001,
      1e-9,
      9_999_999.5,
      1e7,
      123_456_789.125,
      1e21,
      -3.5e8,
      Double.MIN_VALUE,
      Double.MAX_VALUE,
      0.1 + 0.2
    };
    for (int k = 0; k < values.length; k++) {
      SignedBatch signed =
          BatchCodec.sign(
              new Batch(
                  "agent-1",
                  "nmr-1",
                  7,
                  100 + k,
                  BatchHash.digest(new byte[] {(byte) k}),
                  T0,
                  0,
                  List.of(
                      new Sample(T0, values[k], -values[k], RunFlag.IDLE, Quality.GOOD),
                      Sample.unavailable(T0 + 1_000),
                      new Sample(
                          T0 + 2_000, Double.NaN, values[k], RunFlag.RUNNING, Quality.GOOD))),
              TestBatches.signer(1));
      StringBuilder direct = new StringBuilder();
      BatchPoints.appendTo(direct, signed, k % 2 == 0, T0 + k, T0 + 2 * k);

      StringBuilder expected = new StringBuilder();
      for (Point p : BatchPoints.of(signed, k % 2 == 0, T0 + k, T0 + 2 * k)) {
        expected.append(p.toLineProtocol()).append('\n');
      }
      assertThat(direct.toString()).as("value %s", values[k]).isEqualTo(expected.toString());
    }
  }
}
