package org.labmeter.agent.publish;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ReconnectBackoffTest {

  @Test
  void doublesUpToTheCapWithJitterInTheUpperHalf() {
    ReconnectBackoff backoff = new ReconnectBackoff(250, 10_000, new SplittableRandom(1));
    // ceilings: 250, 500, 1000, 2000, 4000, 8000, 10000, 10000, ...
    long[] ceilings = {250, 500, 1000, 2000, 4000, 8000, 10_000, 10_000, 10_000};

    for (long ceiling : ceilings) {
      assertThat(backoff.nextDelayMillis()).isBetween(ceiling / 2, ceiling);
    }
    for (int i = 0; i < 100; i++) {
      assertThat(backoff.nextDelayMillis()).isBetween(5_000L, 10_000L);
    }
    assertThat(backoff.ceilingMillis(1_000)).isEqualTo(10_000);
  }

  @Test
  void resetStartsOver() {
    ReconnectBackoff backoff = new ReconnectBackoff(250, 10_000, new SplittableRandom(2));
    for (int i = 0; i < 10; i++) {
      backoff.nextDelayMillis();
    }

    backoff.reset();

    assertThat(backoff.nextDelayMillis()).isBetween(125L, 250L);
  }

  @Test
  void jitterSpreadsAgents() {
    ReconnectBackoff a = new ReconnectBackoff(250, 10_000, new SplittableRandom(3));
    ReconnectBackoff b = new ReconnectBackoff(250, 10_000, new SplittableRandom(4));
    long sameCount = 0;
    for (int i = 0; i < 20; i++) {
      if (a.nextDelayMillis() == b.nextDelayMillis()) {
        sameCount++;
      }
    }
    assertThat(sameCount).isLessThan(5);
  }
}
