package org.labmeter.collector.sweep;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.labmeter.collector.verify.ChainId;

class UnverifiedLogTest {
  private static final ChainId A = new ChainId("agent-1", "nmr-1");
  private static final ChainId B = new ChainId("agent-2", "ms-1");

  private static List<Long> sequences(List<UnverifiedLog.Entry> entries) {
    return entries.stream().map(UnverifiedLog.Entry::sequence).toList();
  }

  @Test
  void givesTheNewestFirstWithinTheLimitAndDropsWhatIsOlderThanTheHorizon() {
    UnverifiedLog log = new UnverifiedLog(10);
    log.note(A, 1, 1_000, 100);
    log.note(A, 2, 2_000, 200);
    log.note(B, 7, 3_000, 300);

    assertThat(sequences(log.since(0, 2))).containsExactly(7L, 2L);
    assertThat(sequences(log.since(150, 10))).containsExactly(7L, 2L);
    assertThat(log.size()).isEqualTo(2); // seq 1, received before 150, is gone
    assertThat(log.since(0, 10).get(0)).isEqualTo(new UnverifiedLog.Entry(B, 7, 3_000, 300));
  }

  @Test
  void forgetsVerifiedBatchesAndKeepsOneEntryPerBatch() {
    UnverifiedLog log = new UnverifiedLog(10);
    log.note(A, 1, 1_000, 100);
    log.note(A, 2, 2_000, 200);
    log.note(A, 1, 1_000, 250); // written again (a replay): one entry, now the youngest
    log.forget(A, 2);
    log.forget(B, 2); // not there: nothing happens

    assertThat(log.since(0, 10)).containsExactly(new UnverifiedLog.Entry(A, 1, 1_000, 250));
  }

  @Test
  void dropsTheOldestPastItsCapacityAndReportsTheOverflowOnce() {
    UnverifiedLog log = new UnverifiedLog(2);
    log.note(A, 1, 1_000, 100);
    log.note(A, 2, 2_000, 200);
    assertThat(log.takeOverflow()).isFalse();
    log.note(A, 3, 3_000, 300);

    assertThat(sequences(log.since(0, 10))).containsExactly(3L, 2L);
    assertThat(log.takeOverflow()).isTrue();
    assertThat(log.takeOverflow()).isFalse();
  }

  @Test
  void anOffLogKeepsNothingAndANegativeCapacityIsRefused() {
    UnverifiedLog off = UnverifiedLog.off();
    off.note(A, 1, 1_000, 100);
    assertThat(off.size()).isZero();
    assertThat(off.takeOverflow()).isFalse();
    assertThatThrownBy(() -> new UnverifiedLog(-1)).isInstanceOf(IllegalArgumentException.class);
  }
}
