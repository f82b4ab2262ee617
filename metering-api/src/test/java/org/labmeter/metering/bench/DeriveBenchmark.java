package org.labmeter.metering.bench;

import java.util.concurrent.TimeUnit;
import org.labmeter.metering.derive.DerivationProfile;
import org.labmeter.metering.derive.ObservationSeries;
import org.labmeter.metering.derive.StateDeriver;
import org.labmeter.metering.derive.Usage;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Derivation throughput on one thread, reported in samples per second (one JMH operation is one
 * sample): {@link StateDeriver#derive} over a whole realistic 1 Hz series, one day (fits in the CPU
 * caches) and thirty days (does not). Run with {@code bench/derive-throughput.sh}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Threads(1)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class DeriveBenchmark {
  static final long START_MILLIS = 1_767_225_600_000L; // 2026-01-01T00:00:00Z
  static final int DAY = 86_400;
  static final int MONTH = 30 * DAY;

  private DerivationProfile profile;
  private ObservationSeries day;
  private ObservationSeries month;

  @Setup
  public void setUp() {
    profile = SyntheticInstrument.profile();
    day = SyntheticInstrument.series(START_MILLIS, DAY, 1);
    month = SyntheticInstrument.series(START_MILLIS, MONTH, 2);
  }

  @Benchmark
  @OperationsPerInvocation(DAY)
  public Usage deriveDay() {
    return wholeSeries(day);
  }

  @Benchmark
  @OperationsPerInvocation(MONTH)
  public Usage deriveMonth() {
    return wholeSeries(month);
  }

  private Usage wholeSeries(ObservationSeries s) {
    return StateDeriver.derive(
        profile, s, s.timestampMillis(0), s.timestampMillis(s.size() - 1) + 1000);
  }
}
