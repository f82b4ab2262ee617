package org.labmeter.collector.mqtt;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TokenBucketTest {
  private static final long SECOND = 1_000_000_000L;

  @Test
  void aBurstIsServedAtOnceThenOneTokenPerPeriod() {
    TokenBucket bucket = new TokenBucket(4, 2, 0); // 4 per second: one every 250 ms

    assertThat(bucket.tryTake(0)).isZero();
    assertThat(bucket.tryTake(0)).isZero();
    assertThat(bucket.tryTake(0)).isEqualTo(SECOND / 4); // empty: the next is due in 250 ms
    assertThat(bucket.tryTake(SECOND / 8)).isEqualTo(SECOND / 8); // half-way there
    assertThat(bucket.tryTake(SECOND / 4)).isZero();
    assertThat(bucket.tryTake(10 * SECOND)).isZero(); // idle refills only up to the burst of 2
    assertThat(bucket.tryTake(10 * SECOND)).isZero();
    assertThat(bucket.tryTake(10 * SECOND)).isEqualTo(SECOND / 4);
  }
}
