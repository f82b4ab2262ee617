package org.labmeter.metering.derive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.labmeter.wire.Quality;
import org.labmeter.wire.RunFlag;
import org.labmeter.wire.Sample;

class ObservationSeriesTest {

  @Test
  void sortsByTimestampAndKeepsTheFirstOfEqualTimestamps() {
    ObservationSeries s =
        ObservationSeries.builder(2) // grows past its first capacity
            .add(3000, 30, RunFlag.NONE, Quality.GOOD, true)
            .add(1000, 10, RunFlag.IDLE, Quality.GOOD, true)
            .add(3000, 99, RunFlag.FAULT, Quality.SUSPECT, false) // later duplicate: dropped
            .add(2000, 20, RunFlag.RUNNING, Quality.SUSPECT, false)
            .add(1000, 10, RunFlag.IDLE, Quality.GOOD, true) // exact retry: dropped
            .build();

    assertThat(s.size()).isEqualTo(3);
    assertThat(new long[] {s.timestampMillis(0), s.timestampMillis(1), s.timestampMillis(2)})
        .containsExactly(1000, 2000, 3000);
    assertThat(s.powerW(2)).isEqualTo(30);
    assertThat(s.runFlag(2)).isEqualTo(RunFlag.NONE);
    assertThat(s.quality(2)).isEqualTo(Quality.GOOD);
    assertThat(s.verified(2)).isTrue();
    assertThat(s.runFlag(1)).isEqualTo(RunFlag.RUNNING);
    assertThat(s.quality(1)).isEqualTo(Quality.SUSPECT);
    assertThat(s.verified(1)).isFalse();
  }

  @Test
  void orderedInputIsCopiedAsIs() {
    ObservationSeries.Builder b = ObservationSeries.builder();
    for (int i = 0; i < 100; i++) {
      b.add(i * 1000L, i, RunFlag.NONE, Quality.GOOD, i % 2 == 0);
    }
    ObservationSeries s = b.build();
    b.add(100_000, 1, RunFlag.NONE, Quality.GOOD, true); // the builder keeps growing

    assertThat(s.size()).isEqualTo(100);
    assertThat(s.timestampMillis(99)).isEqualTo(99_000);
    assertThat(s.powerW(42)).isEqualTo(42);
    assertThat(b.build().size()).isEqualTo(101);
  }

  @Test
  void wireSamplesKeepTheirAbsentPower() {
    ObservationSeries s = ObservationSeries.builder().add(Sample.unavailable(5000), true).build();
    assertThat(s.powerW(0)).isNaN();
    assertThat(s.quality(0)).isEqualTo(Quality.UNAVAILABLE);
  }

  @Test
  void emptyAndOutOfRangeInput() {
    assertThat(ObservationSeries.builder().build().isEmpty()).isTrue();
    assertThatThrownBy(
            () ->
                ObservationSeries.builder()
                    .add(Long.MAX_VALUE, 1, RunFlag.NONE, Quality.GOOD, true))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("timestampMillis");
    assertThatThrownBy(() -> ObservationSeries.builder().add(1, 1, null, Quality.GOOD, true))
        .isInstanceOf(NullPointerException.class)
        .hasMessage("runFlag");
  }
}
