package org.labmeter.agent.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.labmeter.agent.config.BatchingConfig;
import org.labmeter.wire.Sample;

class BatcherTest {
  private final List<List<Sample>> closed = new ArrayList<>();

  @Test
  void closesAtMaxSamples() {
    Batcher batcher = new Batcher(new BatchingConfig(3, 60_000), closed::add);

    for (long t = 1; t <= 7; t++) {
      batcher.add(sample(t * 1000), 0);
    }

    assertThat(closed).extracting(List::size).containsExactly(3, 3);
    assertThat(closed.get(1).get(0).timestampMillis()).isEqualTo(4000);
    assertThat(batcher.openSize()).isEqualTo(1);
  }

  @Test
  void closesWhenTheNextSampleIsMaxAgeAfterTheFirst() {
    Batcher batcher = new Batcher(new BatchingConfig(100, 5_000), closed::add);

    // 0, 1000, ... 4000 fit; 5000 is 5000 ms after 0 and opens the next batch
    for (long t = 0; t <= 12_000; t += 1000) {
      batcher.add(sample(t), 0);
    }

    assertThat(closed).extracting(List::size).containsExactly(5, 5);
    assertThat(closed.get(1).get(0).timestampMillis()).isEqualTo(5000);
    assertThat(batcher.openSize()).isEqualTo(3);
  }

  @Test
  void closesByTheAgentClockForASlowSource() {
    Batcher batcher = new Batcher(new BatchingConfig(100, 5_000), closed::add);
    batcher.add(sample(1000), 10_000);

    batcher.closeIfOld(14_999);
    assertThat(closed).isEmpty();
    batcher.closeIfOld(15_000);
    assertThat(closed).extracting(List::size).containsExactly(1);
  }

  @Test
  void leavesOutSamplesThatDoNotMoveForward() {
    Batcher batcher = new Batcher(new BatchingConfig(100, 5_000), closed::add);

    assertThat(batcher.add(sample(2000), 0)).isTrue();
    assertThat(batcher.add(sample(2000), 0)).isFalse();
    assertThat(batcher.add(sample(1000), 0)).isFalse();
    batcher.flush();
    batcher.flush();

    assertThat(closed).hasSize(1);
    assertThat(closed.get(0)).extracting(Sample::timestampMillis).containsExactly(2000L);
  }

  private static Sample sample(long t) {
    return Sample.power(t, 100, 1);
  }
}
