package org.labmeter.metering.derive;

import java.time.Duration;
import java.util.List;
import org.labmeter.wire.Quality;
import org.labmeter.wire.RunFlag;

/** Hand-written series in seconds, and the profile the hand-worked examples use. */
final class TestSeries {
  static final double OFF_BELOW_W = 50;
  static final double T_ON_W = 1000;
  static final double T_OFF_W = 500;

  private final ObservationSeries.Builder builder = ObservationSeries.builder();

  static TestSeries series() {
    return new TestSeries();
  }

  /** offBelowW 50 W, T_on 1000 W, T_off 500 W and the given dwell times and gap, in seconds. */
  static DerivationProfile profile(long minOnS, long minOffS, long maxGapS) {
    return DerivationProfile.create(
        b ->
            b.offBelowW(OFF_BELOW_W)
                .onThresholdW(T_ON_W)
                .offThresholdW(T_OFF_W)
                .minOn(Duration.ofSeconds(minOnS))
                .minOff(Duration.ofSeconds(minOffS))
                .maxSampleGap(Duration.ofSeconds(maxGapS)));
  }

  /** Power only (flag NONE), GOOD and verified, one sample every {@code stepS} from startS. */
  TestSeries powers(long startS, long stepS, double... watts) {
    for (int k = 0; k < watts.length; k++) {
      w(startS + k * stepS, watts[k]);
    }
    return this;
  }

  TestSeries w(long atS, double watts) {
    return sample(atS, watts, RunFlag.NONE, Quality.GOOD, true);
  }

  TestSeries flag(long atS, double watts, RunFlag flag) {
    return sample(atS, watts, flag, Quality.GOOD, true);
  }

  TestSeries unverified(long atS, double watts) {
    return sample(atS, watts, RunFlag.NONE, Quality.GOOD, false);
  }

  TestSeries unavailable(long atS) {
    return sample(atS, Double.NaN, RunFlag.NONE, Quality.UNAVAILABLE, true);
  }

  TestSeries sample(long atS, double watts, RunFlag flag, Quality quality, boolean verified) {
    builder.add(atS * 1000, watts, flag, quality, verified);
    return this;
  }

  ObservationSeries build() {
    return builder.build();
  }

  /** Derives over [fromS, toS) seconds. */
  static Usage derive(DerivationProfile p, TestSeries s, long fromS, long toS) {
    return StateDeriver.derive(p, s.build(), fromS * 1000, toS * 1000);
  }

  /** The timeline as "STATE start-end" in seconds, e.g. "ACTIVE 20-50". */
  static List<String> timeline(Usage u) {
    return u.timeline().stream()
        .map(g -> g.state() + " " + sec(g.startMillis()) + "-" + sec(g.endMillis()))
        .toList();
  }

  /** The sessions as "start-end" in seconds, with "<" / ">" when they run past the window. */
  static List<String> sessions(Usage u) {
    return u.sessions().stream()
        .map(
            r ->
                (r.startsBeforeWindow() ? "<" : "")
                    + sec(r.startMillis())
                    + "-"
                    + sec(r.endMillis())
                    + (r.endsAfterWindow() ? ">" : ""))
        .toList();
  }

  static String sec(long millis) {
    return millis % 1000 == 0 ? Long.toString(millis / 1000) : (millis / 1000.0) + "";
  }

  /** Seconds to millis, for durations in assertions. */
  static long s(long seconds) {
    return seconds * 1000;
  }
}
