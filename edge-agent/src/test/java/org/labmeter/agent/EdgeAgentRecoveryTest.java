package org.labmeter.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.labmeter.agent.config.AgentConfig;
import org.labmeter.agent.config.AgentSettings;
import org.labmeter.agent.config.BatchingConfig;
import org.labmeter.agent.config.InstrumentConfig;
import org.labmeter.agent.config.MqttConfig;
import org.labmeter.agent.config.OutboxConfig;
import org.labmeter.agent.config.SimulatedSource;
import org.labmeter.agent.keys.AgentKeyException;
import org.labmeter.agent.simulate.SimulatorKind;
import org.labmeter.wire.Sample;
import org.labmeter.wire.SignedBatch;

/**
 * The agent with no broker reachable: everything it seals stays in the outbox, and a new agent on
 * the same data directory (a restart, or a start after a kill) continues each chain where it stood.
 */
class EdgeAgentRecoveryTest {
  private static final long T0 = Instant.parse("2026-03-02T08:00:00Z").toEpochMilli();
  private static final String INSTRUMENT = "ms-qtof-01";

  @TempDir Path dir;
  private String deadBroker;

  @BeforeEach
  void noBroker() throws IOException {
    deadBroker = "tcp://127.0.0.1:" + MosquittoBroker.freePort();
  }

  @Test
  void aRestartedAgentContinuesTheChain() throws IOException {
    EdgeAgent first = new EdgeAgent(config(T0, T0 + 50_000), new SimpleMeterRegistry());
    first.start().join();
    await().atMost(Duration.ofSeconds(20)).until(() -> first.outboxPending() == 5);
    assertThat(first.samplesProduced()).isEqualTo(50);
    assertThat(first.epoch()).isEqualTo(1);
    first.stop().join();
    first.stop().join();

    EdgeAgent second = new EdgeAgent(config(T0 + 50_000, T0 + 100_000), new SimpleMeterRegistry());
    second.start().join();
    await().atMost(Duration.ofSeconds(20)).until(() -> second.outboxPending() == 10);
    second.stop().join();

    assertThat(second.fingerprint()).isEqualTo(first.fingerprint());
    assertThat(second.epoch()).isEqualTo(2);
    List<SignedBatch> chain =
        ChainAssertions.assertUnbrokenChain(outboxFiles(), second.publicKey());
    assertThat(chain).hasSize(10);
    assertThat(chain)
        .extracting(b -> b.batch().epoch())
        .containsExactly(1L, 1L, 1L, 1L, 1L, 2L, 2L, 2L, 2L, 2L);
    List<Long> timestamps =
        chain.stream()
            .flatMap(b -> b.batch().samples().stream())
            .map(Sample::timestampMillis)
            .toList();
    assertThat(timestamps).hasSize(100).startsWith(T0, T0 + 1000).endsWith(T0 + 99_000);
  }

  @Test
  void afterAKillTheNewestOutboxFileCarriesTheChain() throws IOException {
    EdgeAgent first = new EdgeAgent(config(T0, T0 + 30_000), new SimpleMeterRegistry());
    first.start().join();
    await().atMost(Duration.ofSeconds(20)).until(() -> first.outboxPending() == 3);
    first.stop().join();
    // As if killed between the outbox write of batch 2 and its state write, and in the middle of
    // appending a batch that never completed (its length, CRC and four bytes reached the disk).
    Path state = dir.resolve("data/chain/" + INSTRUMENT + ".state");
    Files.delete(state);
    Path segment = dir.resolve("data/outbox/" + INSTRUMENT + "/00000000000000000000.seg");
    long intact = Files.size(segment);
    Files.write(
        segment,
        new byte[] {0, 0, 1, 0, 1, 2, 3, 4, 'L', 'M', 'T', 'B'},
        StandardOpenOption.APPEND);
    // and a temp file from the earlier one-file-per-batch outbox
    Path temp = dir.resolve("data/outbox/" + INSTRUMENT + "/00000000000000000003.lmb.tmp");
    Files.write(temp, new byte[] {'L', 'M', 'T', 'B', 1});

    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    EdgeAgent second = new EdgeAgent(config(T0 + 30_000, T0 + 40_000), registry);
    second.start().join();
    await().atMost(Duration.ofSeconds(20)).until(() -> second.outboxPending() == 4);
    second.stop().join();

    assertThat(temp).doesNotExist();
    assertThat(registry.get("agent.outbox.truncated").gauge().value()).isEqualTo(1);
    // the fourth batch was appended where the intact records ended
    assertThat(Files.size(segment)).isEqualTo(intact * 4 / 3);
    List<SignedBatch> chain =
        ChainAssertions.assertUnbrokenChain(outboxFiles(), second.publicKey());
    assertThat(chain).hasSize(4);
    assertThat(chain.get(3).batch().epoch()).isEqualTo(2);
    assertThat(state).exists();
  }

  @Test
  void twoAgentsCannotShareADataDirectory() {
    EdgeAgent first = new EdgeAgent(config(T0, T0 + 10_000), new SimpleMeterRegistry());
    first.start().join();
    try {
      EdgeAgent second = new EdgeAgent(config(T0, T0 + 10_000), new SimpleMeterRegistry());
      assertThatThrownBy(() -> second.start().join())
          .isInstanceOf(CompletionException.class)
          .hasMessageContaining("another agent is running on " + dir.resolve("data"));
      second.stop().join();
    } finally {
      first.stop().join();
    }
  }

  @Test
  void aGarbledKeyStopsTheStartWithAClearMessage() throws IOException {
    Files.createDirectories(dir.resolve("data"));
    Files.writeString(dir.resolve("data/agent.key"), "garbage!\n");
    EdgeAgent agent = new EdgeAgent(config(T0, T0 + 10_000), new SimpleMeterRegistry());

    assertThatThrownBy(() -> agent.start().join())
        .hasCauseInstanceOf(AgentKeyException.class)
        .hasMessageContaining(dir.resolve("data/agent.key") + " is not base64");
    agent.stop().join();
  }

  @Test
  void aFullOutboxDropsNewSamplesAndKeepsEveryBatch() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    AgentConfig config =
        config(T0, T0 + 3_000_000)
            .withBatching(new BatchingConfig(100, 3_600_000))
            .withOutbox(new OutboxConfig(64 * 1024));
    EdgeAgent agent = new EdgeAgent(config, registry);
    agent.start().join();
    await().atMost(Duration.ofSeconds(30)).until(() -> agent.samplesProduced() == 3000);
    agent.stop().join();

    // A batch of 100 samples is 66 header bytes + 11 + 10 for the ids + 100 * 26 + 64 for the
    // signature = 2,751 bytes. 23 batches (63,273 bytes) stay under 64 KiB (65,536), the 24th
    // (66,024) reaches it: 2,400 samples are kept, the other 600 are dropped and counted.
    assertThat(agent.outboxPending()).isEqualTo(24);
    assertThat(agent.samplesDropped()).isEqualTo(600);
    assertThat(registry.get("agent.outbox.full").counter().count()).isEqualTo(600);
    assertThat(registry.get("agent.outbox.bytes").gauge().value()).isEqualTo(24 * 2751);
  }

  private List<byte[]> outboxFiles() throws IOException {
    return OutboxContents.pendingEnvelopes(dir.resolve("data"), "agent-rec-1", INSTRUMENT);
  }

  private AgentConfig config(long from, long to) {
    return new AgentConfig(
        new AgentSettings("agent-rec-1", dir.resolve("data")),
        MqttConfig.of(deadBroker),
        new BatchingConfig(10, 3_600_000),
        OutboxConfig.DEFAULT,
        List.of(
            new InstrumentConfig(
                INSTRUMENT,
                SimulatedSource.window(SimulatorKind.MASS_SPECTROMETER, 1, 1000, from, to))));
  }
}
