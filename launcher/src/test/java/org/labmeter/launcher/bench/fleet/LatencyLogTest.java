package org.labmeter.launcher.bench.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class LatencyLogTest {
  private static final long SECOND = 1_000_000_000L;

  @Test
  void perSecondSummaryTellsOneBadSecondFromATailEverywhere() {
    LatencyLog log = new LatencyLog(10_000);
    log.begin(0);
    for (int t = 0; t < 10; t++) {
      for (int i = 0; i < 100; i++) {
        long ack = t * SECOND + i * 1_000_000L;
        long latency = t == 6 ? 50_000_000L : 1_000_000L + i * 10_000L; // second 6: 50 ms
        log.record(ack - latency, ack);
      }
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);

    log.printPerSecond(out, "RESULT seconds 2-10", 2, 10, 20);
    log.printPerSecond(out, "RESULT seconds 7-99", 7, 99, 20);

    assertThat(bytes.toString(StandardCharsets.UTF_8).lines())
        .containsExactly(
            "RESULT seconds 2-10: p99 of each second: median 2.0 ms, 90th percentile 50.0 ms,"
                + " worst 50.0 ms; 1 of 8 seconds above 20 ms",
            "RESULT seconds 7-99: p99 of each second: median 2.0 ms, 90th percentile 2.0 ms,"
                + " worst 2.0 ms; 0 of 3 seconds above 20 ms");
  }
}
