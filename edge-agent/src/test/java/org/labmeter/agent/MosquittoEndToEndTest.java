package org.labmeter.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.labmeter.agent.config.AgentConfig;
import org.labmeter.agent.config.AgentSettings;
import org.labmeter.agent.config.BatchingConfig;
import org.labmeter.agent.config.InstrumentConfig;
import org.labmeter.agent.config.MqttConfig;
import org.labmeter.agent.config.OutboxConfig;
import org.labmeter.agent.config.ReplayConfig;
import org.labmeter.agent.config.SamplingMode;
import org.labmeter.agent.config.SimulatedSource;
import org.labmeter.agent.config.SourceConfig;
import org.labmeter.agent.simulate.Pace;
import org.labmeter.agent.simulate.SimulatorKind;
import org.labmeter.wire.Sample;
import org.labmeter.wire.SignedBatch;
import org.labmeter.wire.Topics;

/** The agent against a real Mosquitto broker, read back by a plain Paho subscriber. */
class MosquittoEndToEndTest {
  private static final long T0 = Instant.parse("2026-03-02T08:00:00Z").toEpochMilli();
  private static final String AGENT = "agent-e2e-1";
  private static final String INSTRUMENT = "nmr-600";

  @TempDir Path dir;
  private MosquittoBroker broker;
  private TelemetryRecorder recorder;
  private EdgeAgent agent;

  @BeforeEach
  void startBroker() throws Exception {
    broker = MosquittoBroker.start(dir.resolve("broker"));
    recorder = new TelemetryRecorder(broker.uri(), "recorder-1");
    assertThat(recorder.connect()).isTrue();
  }

  @AfterEach
  void stopAll() throws Exception {
    if (agent != null) {
      agent.stop().join();
    }
    recorder.close();
    broker.close();
  }

  @Test
  void everyBatchOfAWindowArrivesSignedAndChained() throws Exception {
    SourceConfig source = SimulatedSource.window(SimulatorKind.NMR, 3, 1000, T0, T0 + 600_000);
    agent = new EdgeAgent(config(source, 8), new SimpleMeterRegistry());
    agent.start().join();

    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> agent.batchesAcked() == 60 && agent.outboxPending() == 0);
    await().atMost(Duration.ofSeconds(30)).until(() -> recorder.telemetry().size() >= 60);

    assertThat(recorder.telemetry())
        .allSatisfy(r -> assertThat(r.topic()).isEqualTo(Topics.telemetry(AGENT, INSTRUMENT)));
    List<SignedBatch> chain =
        ChainAssertions.assertUnbrokenChain(
            recorder.telemetry().stream().map(TelemetryRecorder.Received::payload).toList(),
            agent.publicKey());
    assertThat(chain).hasSize(60);
    assertThat(chain).allSatisfy(b -> assertThat(b.batch().samples()).hasSize(10));
    assertThat(chain).allSatisfy(b -> assertThat(b.batch().epoch()).isEqualTo(1));
    assertThat(chain)
        .flatExtracting(b -> b.batch().samples())
        .extracting(Sample::timestampMillis)
        .containsExactlyElementsOf(
            LongStream.range(0, 600).map(i -> T0 + i * 1000).boxed().toList());
    assertThat(agent.samplesProduced()).isEqualTo(600);
    assertThat(recorder.statusPayloads())
        .anySatisfy(p -> assertThat(p).startsWith("{\"state\":\"online\",\"epoch\":1,\"ts\":"));

    agent.stop().join();
    // stopped: the outbox recorded its acknowledgements, nothing is left to send again
    assertThat(OutboxContents.pendingEnvelopes(dir.resolve("agent"), AGENT, INSTRUMENT)).isEmpty();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                recorder.statusPayloads().stream()
                    .anyMatch(p -> p.startsWith("{\"state\":\"offline\",\"epoch\":1,")));
  }

  @Test
  void aBacklogBuiltWhileTheBrokerIsDownArrivesAfterItsRestart() throws Exception {
    // 20 samples per second, a batch every half second
    SourceConfig source =
        new SimulatedSource(SimulatorKind.ICP_MS, 5, 50, Pace.COMPRESSED, new SamplingMode.Live(0));
    agent = new EdgeAgent(config(source, 4), new SimpleMeterRegistry());
    agent.start().join();
    await().atMost(Duration.ofSeconds(30)).until(() -> agent.batchesAcked() >= 3);

    broker.stop();
    await().atMost(Duration.ofSeconds(30)).until(() -> !agent.connected());
    await().atMost(Duration.ofSeconds(30)).until(() -> agent.outboxPending() >= 6);
    long backlog = agent.outboxPending();

    broker.restart();
    await().atMost(Duration.ofSeconds(30)).until(recorder::connect);
    await().atMost(Duration.ofSeconds(60)).until(agent::connected);
    long ackedAtReconnect = agent.batchesAcked();
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> agent.batchesAcked() >= ackedAtReconnect + backlog);
    agent.stop().join();
    assertThat(agent.outboxPending()).isZero();
    assertThat(OutboxContents.pendingEnvelopes(dir.resolve("agent"), AGENT, INSTRUMENT)).isEmpty();

    long sealed = chainHeadAfterStop();
    await().atMost(Duration.ofSeconds(30)).until(() -> distinctSequences() == sealed);
    List<SignedBatch> chain =
        ChainAssertions.assertUnbrokenChain(
            recorder.telemetry().stream().map(TelemetryRecorder.Received::payload).toList(),
            agent.publicKey());
    assertThat(chain).hasSize((int) sealed);
    // no sample is missing either: the timestamps step through the 50 ms grid without a hole
    List<Long> timestamps =
        chain.stream()
            .flatMap(b -> b.batch().samples().stream())
            .map(Sample::timestampMillis)
            .toList();
    long first = timestamps.get(0);
    assertThat(timestamps)
        .containsExactlyElementsOf(
            LongStream.range(0, timestamps.size()).map(i -> first + i * 50).boxed().toList());
    assertThat(agent.samplesProduced()).isEqualTo(timestamps.size());
  }

  @Test
  void afterAnOutageLiveDataGoesOutWithinSecondsWhileTheBacklogDrains() throws Exception {
    // 20 samples per second, one batch each: about 100 batches of backlog in five seconds down
    SourceConfig source =
        new SimulatedSource(SimulatorKind.ICP_MS, 7, 50, Pace.COMPRESSED, new SamplingMode.Live(0));
    agent =
        new EdgeAgent(
            config(source, 8)
                .withBatching(new BatchingConfig(1, 60_000))
                .withReplay(new ReplayConfig(20, 2)),
            new SimpleMeterRegistry());
    agent.start().join();
    await().atMost(Duration.ofSeconds(30)).until(() -> agent.batchesAcked() >= 3);

    broker.stop();
    await().atMost(Duration.ofSeconds(30)).until(() -> agent.outboxPending() >= 100);
    long backlog = agent.outboxPending();
    broker.restart();
    await().atMost(Duration.ofSeconds(30)).until(recorder::connect);
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(10))
        .until(agent::connected);
    long connectedAt = System.currentTimeMillis();

    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> firstBatchCreatedSince(connectedAt).isPresent());
    TelemetryRecorder.Received firstLive = firstBatchCreatedSince(connectedAt).orElseThrow();
    assertThat(firstLive.arrivedMillis() - connectedAt).isLessThan(3_000);
    // the backlog, 100 batches and more at 20 a second, was still on its way
    long backlogArrivedBefore =
        recorder.telemetry().stream()
            .filter(r -> r.arrivedMillis() <= firstLive.arrivedMillis())
            .filter(
                r -> ChainAssertions.decode(r.payload()).batch().createdAtMillis() < connectedAt)
            .count();
    assertThat(backlogArrivedBefore).isLessThan(backlog / 2);

    // the backlog is everything before the first live batch; wait for all of it
    long firstLiveSequence = ChainAssertions.decode(firstLive.payload()).batch().sequence();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                receivedSequences().stream().filter(q -> q < firstLiveSequence).count()
                    == firstLiveSequence);
    agent.stop().join();
    // every sequence reached the subscriber, or is still in the outbox for the next start
    long sealed = chainHeadAfterStop();
    List<Long> leftInOutbox =
        OutboxContents.pendingEnvelopes(dir.resolve("agent"), AGENT, INSTRUMENT).stream()
            .map(e -> ChainAssertions.decode(e).batch().sequence())
            .toList();
    assertThat(leftInOutbox).hasSizeLessThan(5);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> distinctSequences() + leftInOutbox.size() >= sealed);
    assertThat(
            java.util.stream.Stream.concat(
                    recorder.telemetry().stream()
                        .map(r -> ChainAssertions.decode(r.payload()).batch().sequence()),
                    leftInOutbox.stream())
                .distinct()
                .sorted()
                .toList())
        .containsExactlyElementsOf(LongStream.range(0, sealed).boxed().toList());
  }

  private java.util.Optional<TelemetryRecorder.Received> firstBatchCreatedSince(long millis) {
    return recorder.telemetry().stream()
        .filter(r -> ChainAssertions.decode(r.payload()).batch().createdAtMillis() >= millis)
        .findFirst();
  }

  private List<Long> receivedSequences() {
    return recorder.telemetry().stream()
        .map(r -> ChainAssertions.decode(r.payload()).batch().sequence())
        .distinct()
        .toList();
  }

  private long distinctSequences() {
    return recorder.telemetry().stream()
        .map(r -> ChainAssertions.decode(r.payload()).batch().sequence())
        .distinct()
        .count();
  }

  /** The number of batches the agent sealed, from its chain state file. */
  private long chainHeadAfterStop() throws Exception {
    String state = Files.readString(dir.resolve("agent/chain/" + INSTRUMENT + ".state"));
    String line = state.lines().filter(l -> l.startsWith("sequence=")).findFirst().orElseThrow();
    return Long.parseLong(line.substring("sequence=".length())) + 1;
  }

  private AgentConfig config(SourceConfig source, int maxInflight) {
    return new AgentConfig(
        new AgentSettings(AGENT, dir.resolve("agent")),
        MqttConfig.of(broker.uri()).withMaxInflight(maxInflight),
        new BatchingConfig(10, 60_000),
        OutboxConfig.DEFAULT,
        List.of(new InstrumentConfig(INSTRUMENT, source)));
  }
}
