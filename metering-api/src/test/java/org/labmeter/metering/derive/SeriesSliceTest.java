package org.labmeter.metering.derive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.labmeter.wire.Quality;
import org.labmeter.wire.RunFlag;

/** Cutting a series at times and putting the pieces back gives the series a single read builds. */
class SeriesSliceTest {
  /** Samples at 0, 10, 20, ..., 90 ms; power = timestamp, verified on even tens. */
  private static ObservationSeries tens() {
    ObservationSeries.Builder b = ObservationSeries.builder();
    for (long t = 90; t >= 0; t -= 10) {
      b.add(t, t, RunFlag.RUNNING, Quality.GOOD, t % 20 == 0);
    }
    return b.build();
  }

  @Test
  void sliceKeepsExactlyTheHalfOpenRange() {
    ObservationSeries s = tens().slice(10, 40);
    assertThat(s.size()).isEqualTo(3);
    assertThat(s.timestampMillis(0)).isEqualTo(10);
    assertThat(s.timestampMillis(2)).isEqualTo(30);
    assertThat(s.powerW(1)).isEqualTo(20.0);
    assertThat(s.verified(1)).isTrue();
    assertThat(tens().slice(11, 20).isEmpty()).isTrue();
    assertThat(tens().slice(50, 40).isEmpty()).isTrue();
    assertThat(tens().slice(-5, 1000).size()).isEqualTo(10);
  }

  @Test
  void piecesPutBackTogetherAreTheWhole() {
    ObservationSeries all = tens();
    ObservationSeries joined =
        ObservationSeries.concat(
            List.of(
                all.slice(0, 25),
                ObservationSeries.empty(),
                all.slice(25, 60),
                all.slice(60, 100)));
    assertThat(joined.size()).isEqualTo(10);
    for (int i = 0; i < 10; i++) {
      assertThat(joined.timestampMillis(i)).isEqualTo(all.timestampMillis(i));
      assertThat(joined.powerW(i)).isEqualTo(all.powerW(i));
      assertThat(joined.verified(i)).isEqualTo(all.verified(i));
      assertThat(joined.runFlag(i)).isEqualTo(all.runFlag(i));
      assertThat(joined.quality(i)).isEqualTo(all.quality(i));
    }
    assertThat(ObservationSeries.concat(List.of()).isEmpty()).isTrue();
  }

  @Test
  void overlappingPiecesAreRefused() {
    ObservationSeries all = tens();
    assertThatThrownBy(() -> ObservationSeries.concat(List.of(all.slice(0, 50), all.slice(40, 90))))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
