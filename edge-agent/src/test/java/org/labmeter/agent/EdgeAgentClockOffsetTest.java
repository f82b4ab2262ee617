package org.labmeter.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.labmeter.agent.clock.SntpResponder;
import org.labmeter.agent.config.AgentConfig;
import org.labmeter.agent.config.AgentSettings;
import org.labmeter.agent.config.BatchingConfig;
import org.labmeter.agent.config.ClockConfig;
import org.labmeter.agent.config.InstrumentConfig;
import org.labmeter.agent.config.MqttConfig;
import org.labmeter.agent.config.OutboxConfig;
import org.labmeter.agent.config.SamplingMode;
import org.labmeter.agent.config.SimulatedSource;
import org.labmeter.agent.simulate.Pace;
import org.labmeter.agent.simulate.SimulatorKind;
import org.labmeter.wire.Batch;

/** The measured offset travels in the sealed batches; before the first measurement, unknown. */
class EdgeAgentClockOffsetTest {
  @TempDir Path dir;

  @Test
  void batchesCarryTheOffsetMeasuredAgainstAnSntpServer() throws Exception {
    try (SntpResponder ntp = new SntpResponder(1_500)) {
      AgentConfig config =
          new AgentConfig(
                  new AgentSettings("agent-clock-1", dir.resolve("agent")),
                  MqttConfig.of("tcp://127.0.0.1:" + MosquittoBroker.freePort()), // nobody there
                  new BatchingConfig(5, 60_000),
                  OutboxConfig.DEFAULT,
                  List.of(
                      new InstrumentConfig(
                          "nmr-1",
                          new SimulatedSource(
                              SimulatorKind.NMR,
                              1,
                              50,
                              Pace.COMPRESSED,
                              new SamplingMode.Live(0)))))
              .withClock(ClockConfig.sntp(List.of("127.0.0.1:" + ntp.port()), 60, 1_000));
      EdgeAgent agent = new EdgeAgent(config, new SimpleMeterRegistry());
      agent.start().join();
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> agent.clockOffsetMillis() != Batch.CLOCK_OFFSET_UNKNOWN);
      long pendingAtMeasurement = agent.outboxPending();
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> agent.outboxPending() >= pendingAtMeasurement + 3);
      agent.stop().join();

      List<Integer> offsets =
          OutboxContents.pendingEnvelopes(dir.resolve("agent"), "agent-clock-1", "nmr-1").stream()
              .map(e -> ChainAssertions.decode(e).batch().clockOffsetMillis())
              .toList();
      assertThat(offsets.get(offsets.size() - 1)).isBetween(1_480, 1_520);
      assertThat(offsets)
          .allSatisfy(
              o ->
                  assertThat(o == Batch.CLOCK_OFFSET_UNKNOWN || (o >= 1_480 && o <= 1_520))
                      .isTrue());
    }
  }
}
