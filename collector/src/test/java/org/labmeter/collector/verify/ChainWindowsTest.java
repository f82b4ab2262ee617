package org.labmeter.collector.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.labmeter.collector.TestBatches.batch;
import static org.labmeter.collector.TestBatches.signer;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.labmeter.wire.BatchHash;
import org.labmeter.wire.Ed25519Signer;
import org.labmeter.wire.SignedBatch;

/** The bound on chain windows held in memory. */
class ChainWindowsTest {
  private static final long NOW = 1_704_067_200_000L;

  private static ChainWindows windows(int max) {
    return new ChainWindows(max, () -> new ChainWindow(64, 1 << 20));
  }

  private static ChainId chain(int n) {
    return new ChainId("agent-" + n, "nmr-1");
  }

  @Test
  void fiftyThousandChainsLeaveAtMostTheBoundHeldLeastRecentlyUsedFirst() {
    ChainWindows w = windows(1_000);

    for (int n = 0; n < 50_000; n++) {
      ChainWindows.release(w.acquire(chain(n)));
    }

    assertThat(w.size()).isEqualTo(1_000);
    assertThat(w.evicted()).isEqualTo(49_000);
    assertThat(w.peek(chain(48_999))).isNull();
    assertThat(w.peek(chain(49_000))).isNotNull();
    assertThat(w.peek(chain(49_999))).isNotNull();
  }

  @Test
  void aWindowUsedAgainIsKeptOverOlderOnes() {
    ChainWindows w = windows(2);
    ChainWindow first = w.acquire(chain(1));
    ChainWindows.release(first);
    ChainWindows.release(w.acquire(chain(2)));

    ChainWindows.release(w.acquire(chain(1))); // chain 2 is now the least recently used
    ChainWindows.release(w.acquire(chain(3)));

    assertThat(w.peek(chain(1))).isSameAs(first);
    assertThat(w.peek(chain(2))).isNull();
  }

  @Test
  void aWindowInUseByAGroupIsNotEvictedUntilReleased() {
    ChainWindows w = windows(1);
    ChainWindow busy = w.acquire(chain(1));

    ChainWindows.release(w.acquire(chain(2)));
    ChainWindows.release(w.acquire(chain(3)));

    assertThat(w.peek(chain(1))).isSameAs(busy);
    assertThat(w.size()).isEqualTo(2); // the busy one and the newest
    ChainWindows.release(busy);
    ChainWindows.release(w.acquire(chain(4)));
    assertThat(w.peek(chain(1))).isNull();
    assertThat(w.size()).isEqualTo(1);
  }

  @Test
  void anEvictedChainIsPlacedFromItsStoredHeadAsBefore() {
    Ed25519Signer key = signer(7);
    InMemoryChainHeads heads = new InMemoryChainHeads();
    BatchVerifier verifier =
        new BatchVerifier(
            heads,
            StoredBatches.NONE,
            Duration.ofMinutes(5),
            Duration.ofHours(1),
            Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC),
            16);
    SignedBatch[] genesis = new SignedBatch[20];
    for (int n = 0; n < 20; n++) {
      genesis[n] = batch(key, "agent-" + n, "nmr-1", 0, BatchHash.ZERO, NOW - 60_000, 5);
      verifier.commit((Verdict.Accepted) verify(verifier, key, n, genesis[n]));
    }
    SignedBatch next = batch(key, "agent-0", "nmr-1", 1, genesis[0].hash(), NOW - 30_000, 5);

    Verdict.Accepted a = (Verdict.Accepted) verify(verifier, key, 0, next);
    verifier.commit(a);
    Verdict again = verify(verifier, key, 0, next);

    assertThat(a.link()).isEqualTo(ChainLink.LINKED);
    assertThat(a.chainOk()).isTrue();
    assertThat(again).isInstanceOf(Verdict.Duplicate.class);
  }

  private static Verdict verify(BatchVerifier v, Ed25519Signer key, int agent, SignedBatch b) {
    return v.verify("agent-" + agent, "nmr-1", key.publicKey(), b.envelope());
  }
}
