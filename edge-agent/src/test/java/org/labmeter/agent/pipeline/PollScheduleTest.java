package org.labmeter.agent.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.labmeter.agent.config.SamplingMode;

class PollScheduleTest {

  @Test
  void aWindowProducesEveryGridInstantAtOnceThenFinishes() {
    PollSchedule schedule =
        PollSchedule.of(new SamplingMode.Window(1_500, 5_000), 1000, 0, Long.MIN_VALUE);

    assertThat(drain(schedule, 0)).containsExactly(2000L, 3000L, 4000L);
    assertThat(schedule.finished()).isTrue();
    assertThat(schedule.due(Long.MAX_VALUE)).isFalse();
  }

  @Test
  void liveBackfillsThenWaitsForTheClock() {
    long now = 100_500;
    PollSchedule schedule = PollSchedule.of(new SamplingMode.Live(3), 1000, now, Long.MIN_VALUE);

    // backfill 3 s: 97_500 rounds up to the grid at 98_000
    assertThat(drain(schedule, now)).containsExactly(98_000L, 99_000L, 100_000L);
    assertThat(schedule.delayMillis(now)).isEqualTo(500);
    assertThat(drain(schedule, 102_000)).containsExactly(101_000L, 102_000L);
    assertThat(schedule.finished()).isFalse();
  }

  @Test
  void liveResumesAfterTheLastSealedSample() {
    PollSchedule schedule = PollSchedule.of(new SamplingMode.Live(10), 1000, 100_000, 97_000);

    assertThat(drain(schedule, 100_000)).containsExactly(98_000L, 99_000L, 100_000L);
  }

  private static List<Long> drain(PollSchedule schedule, long now) {
    List<Long> out = new ArrayList<>();
    while (schedule.due(now)) {
      out.add(schedule.take());
    }
    return out;
  }
}
