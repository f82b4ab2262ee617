package org.labmeter.metering.bench;

import java.time.Duration;
import java.util.SplittableRandom;
import org.labmeter.metering.derive.DerivationProfile;
import org.labmeter.metering.derive.ObservationSeries;
import org.labmeter.wire.Quality;
import org.labmeter.wire.RunFlag;

/**
 * A reproducible 1 Hz power series of a busy instrument, for benchmarks: several runs per hour (3
 * to 25 minutes at about 2 kW with noise, with short dips below the off threshold inside some
 * runs), standby at about 150 W between runs, short spikes that are blips, about one telemetry gap
 * (10 to 300 s) every two hours, and one batch in a hundred unverified. The same seed and count
 * give the same samples on every machine.
 */
public final class SyntheticInstrument {
  /** One sample, as a writer or a series builder takes it. */
  @FunctionalInterface
  public interface SampleSink {
    void accept(
        long timestampMillis, double powerW, RunFlag flag, Quality quality, boolean verified);
  }

  private SyntheticInstrument() {}

  /** The profile the benchmarks derive with: a typical busy instrument's thresholds. */
  public static DerivationProfile profile() {
    return DerivationProfile.create(
        b ->
            b.offBelowW(50)
                .onThresholdW(1000)
                .offThresholdW(500)
                .minOn(Duration.ofSeconds(60))
                .minOff(Duration.ofSeconds(30))
                .maxSampleGap(Duration.ofSeconds(5)));
  }

  /** {@code count} samples from {@code startMillis} on, in time order, as a series. */
  public static ObservationSeries series(long startMillis, int count, long seed) {
    ObservationSeries.Builder b = ObservationSeries.builder(count);
    generate(startMillis, count, seed, b::add);
    return b.build();
  }

  /**
   * Emits exactly {@code count} samples in increasing time order, one per second except across
   * gaps. Returns the timestamp after the last sample's second.
   */
  public static long generate(long startMillis, long count, long seed, SampleSink sink) {
    SplittableRandom rnd = new SplittableRandom(seed);
    long t = startMillis;
    long emitted = 0;
    boolean running = false;
    long phaseLeft = 60 + rnd.nextInt(600);
    long dipLeft = 0;
    long spikeLeft = 0;
    long batchLeft = 0;
    boolean batchVerified = true;
    while (emitted < count) {
      if (rnd.nextInt(7200) == 0) {
        t += 1000L * (10 + rnd.nextInt(290)); // telemetry gap: the agent was away
      }
      if (--phaseLeft <= 0) {
        running = !running;
        phaseLeft = running ? 180 + rnd.nextInt(1320) : 120 + rnd.nextInt(900);
      }
      if (batchLeft-- <= 0) {
        batchLeft = 9;
        batchVerified = rnd.nextInt(100) != 0;
      }
      double power;
      if (running) {
        if (dipLeft == 0 && rnd.nextInt(900) == 0) {
          dipLeft = 5 + rnd.nextInt(40); // dips shorter and longer than minOff
        }
        power = dipLeft > 0 ? 300 + rnd.nextDouble(100) : 1900 + rnd.nextDouble(200);
        dipLeft = Math.max(0, dipLeft - 1);
      } else {
        if (spikeLeft == 0 && rnd.nextInt(1800) == 0) {
          spikeLeft = 2 + rnd.nextInt(20); // blips shorter than minOn
        }
        power = spikeLeft > 0 ? 1500 + rnd.nextDouble(100) : 140 + rnd.nextDouble(20);
        spikeLeft = Math.max(0, spikeLeft - 1);
      }
      Quality quality = rnd.nextInt(5000) == 0 ? Quality.SUSPECT : Quality.GOOD;
      sink.accept(t, power, RunFlag.NONE, quality, batchVerified);
      emitted++;
      t += 1000;
    }
    return t;
  }
}
