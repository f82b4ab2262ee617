package org.labmeter.agent.publish;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.labmeter.agent.config.ReplayConfig;
import org.labmeter.agent.datadir.DataDir;
import org.labmeter.agent.metrics.AgentMetrics;
import org.labmeter.agent.outbox.ChainState;
import org.labmeter.agent.outbox.Outbox;
import org.labmeter.agent.pipeline.BatchChain;
import org.labmeter.wire.Ed25519Signer;
import org.labmeter.wire.Sample;

/** The drain against a publisher we control, to pin down ordering and the in-flight window. */
class OutboxDrainTest {
  @TempDir Path dir;
  private Outbox outbox;
  private final RecordingPublisher publisher = new RecordingPublisher();
  private OutboxDrain drain;
  private BatchChain chainA;
  private final AgentMetrics metrics = new AgentMetrics(new SimpleMeterRegistry(), "agent-1");
  private long nanos;
  private final List<Scheduled> timers = new ArrayList<>();

  @BeforeEach
  void setUp() throws IOException {
    outbox = new Outbox(new DataDir(dir), 1 << 20);
    Ed25519Signer signer = Ed25519Signer.fromSeed(new byte[32]);
    for (String instrument : List.of("a", "b")) {
      BatchChain chain =
          new BatchChain(
              "agent-1", instrument, 1, signer, outbox, Clock.systemUTC(), ChainState.INITIAL);
      for (int i = 0; i < 3; i++) {
        chain.seal(List.of(Sample.power(1000L * (i + 1), 1, 1)));
      }
      if (instrument.equals("a")) {
        chainA = chain;
      }
    }
    drain =
        new OutboxDrain(
            "agent-1",
            outbox,
            publisher,
            4,
            new AgentMetrics(new SimpleMeterRegistry(), "agent-1"));
  }

  @Test
  void sendsOldestFirstPerInstrumentWithinTheWindow() {
    publisher.connected = true;
    drain.connected();

    assertThat(publisher.sent)
        .extracting(Sent::label)
        .containsExactly("b/telemetry#0", "a/telemetry#0", "b/telemetry#1", "a/telemetry#1");
    assertThat(drain.inflight()).isEqualTo(4);

    publisher.sent.get(1).ack.complete(null);

    assertThat(outbox.pendingCount()).isEqualTo(5);
    assertThat(drain.acked()).isEqualTo(1);
    assertThat(publisher.sent).hasSize(5);
    assertThat(drain.inflight()).isEqualTo(4);
  }

  @Test
  void afterAReconnectEverythingUnackedIsSentAgainFromTheOldest() {
    publisher.connected = true;
    drain.connected();
    publisher.sent.get(0).ack.complete(null);

    publisher.connected = false;
    drain.disconnected(new IOException("gone"));
    publisher.sent.forEach(s -> s.ack.completeExceptionally(new IOException("gone")));
    publisher.sent.clear();
    publisher.connected = true;
    drain.connected();

    assertThat(publisher.sent)
        .extracting(Sent::label)
        .containsExactly("b/telemetry#1", "a/telemetry#0", "b/telemetry#2", "a/telemetry#1");
    for (int i = 0; i < publisher.sent.size(); i++) {
      publisher.sent.get(i).ack.complete(null);
    }
    assertThat(outbox.pendingCount()).isZero();
    assertThat(drain.acked()).isEqualTo(6);
  }

  @Test
  void aBatchRefusedAtOnceIsTriedAgainLaterNotInALoop() {
    publisher.connected = true;
    publisher.refuse = true;
    drain.connected();

    assertThat(publisher.attempts).isEqualTo(1);
    assertThat(publisher.sent).isEmpty();
    assertThat(drain.inflight()).isZero();

    publisher.refuse = false;
    drain.pump();

    // b#0, refused before, is not skipped; the turn simply moved on to a
    assertThat(publisher.sent)
        .extracting(Sent::label)
        .containsExactly("a/telemetry#0", "b/telemetry#0", "a/telemetry#1", "b/telemetry#1");
  }

  @Test
  void aLiveBatchGoesOutAtOnceWhileTheBacklogWindowIsFull() throws IOException {
    drain = throttled(new ReplayConfig(0, 2));
    publisher.connected = true;
    drain.connected();
    assertThat(publisher.sent)
        .extracting(Sent::label)
        .containsExactly("b/telemetry#0", "a/telemetry#0");

    drain.sealed(chainA.seal(List.of(Sample.power(9_000, 1, 1))));

    assertThat(publisher.sent).extracting(Sent::label).endsWith("a/telemetry#3");
    assertThat(drain.backlogInflight()).isEqualTo(2);
    assertThat(drain.inflight()).isEqualTo(3);

    // the backlog then drains to the live boundary and does not send a#3 a second time
    for (int i = 0; i < publisher.sent.size(); i++) {
      publisher.sent.get(i).ack.complete(null);
    }
    assertThat(publisher.sent)
        .extracting(Sent::label)
        .containsExactlyInAnyOrder(
            "a/telemetry#0",
            "a/telemetry#1",
            "a/telemetry#2",
            "a/telemetry#3",
            "b/telemetry#0",
            "b/telemetry#1",
            "b/telemetry#2");
    assertThat(outbox.pendingCount()).isZero();
  }

  @Test
  void theBacklogKeepsToItsRate() {
    // 2 batches a second, a burst of at most 2
    drain = throttled(new ReplayConfig(2, 2));
    publisher.connected = true;
    drain.connected();
    assertThat(publisher.sent).hasSize(2);

    publisher.sent.get(0).ack.complete(null);
    publisher.sent.get(1).ack.complete(null);

    assertThat(publisher.sent).hasSize(2);
    assertThat(timers).hasSize(1);
    assertThat(timers.get(0).delayNanos()).isEqualTo(500_000_000L);

    nanos += 500_000_000L;
    timers.remove(0).task().run();

    assertThat(publisher.sent).hasSize(3);
    assertThat(timers).hasSize(1); // the next one waits for its token again
  }

  @Test
  void batchesSealedWhileDisconnectedAreBacklogAtTheNextConnect() throws IOException {
    drain = throttled(new ReplayConfig(0, 1));
    drain.sealed(chainA.seal(List.of(Sample.power(9_000, 1, 1))));
    assertThat(publisher.sent).isEmpty();

    publisher.connected = true;
    drain.connected();

    assertThat(publisher.sent).extracting(Sent::label).containsExactly("b/telemetry#0");
  }

  private OutboxDrain throttled(ReplayConfig replay) {
    return new OutboxDrain(
        "agent-1",
        outbox,
        publisher,
        4,
        replay,
        (task, delay) -> timers.add(new Scheduled(task, delay)),
        () -> nanos,
        metrics);
  }

  record Scheduled(Runnable task, long delayNanos) {}

  @Test
  void nothingIsSentWhileDisconnected() {
    drain.pump();

    assertThat(publisher.sent).isEmpty();
  }

  record Sent(String topic, long sequence, CompletableFuture<Void> ack) {
    String label() {
      String[] parts = topic.split("/");
      return parts[3] + "/" + parts[4] + "#" + sequence;
    }
  }

  static final class RecordingPublisher implements BatchPublisher {
    final List<Sent> sent = new ArrayList<>();
    boolean connected;
    boolean refuse;
    int attempts;

    @Override
    public void start(Listener listener) {}

    @Override
    public boolean isConnected() {
      return connected;
    }

    @Override
    public CompletableFuture<Void> publish(String topic, byte[] payload) {
      CompletableFuture<Void> ack = new CompletableFuture<>();
      attempts++;
      if (refuse) {
        ack.completeExceptionally(new IllegalStateException("in-flight window full"));
        return ack;
      }
      long sequence =
          ((org.labmeter.wire.DecodeResult.Decoded) org.labmeter.wire.BatchCodec.decode(payload))
              .signedBatch()
              .batch()
              .sequence();
      sent.add(new Sent(topic, sequence, ack));
      return ack;
    }

    @Override
    public CompletableFuture<Void> stop() {
      return CompletableFuture.completedFuture(null);
    }
  }
}
