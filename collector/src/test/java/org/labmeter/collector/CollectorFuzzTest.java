package org.labmeter.collector;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.util.ResourceLeakDetector;
import java.io.ByteArrayOutputStream;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.labmeter.collector.auth.Authenticator;
import org.labmeter.collector.auth.InMemoryAgentDirectory;
import org.labmeter.collector.config.CollectorConfig;
import org.labmeter.collector.ingest.ShardDispatcher;
import org.labmeter.collector.ingest.VerifyingPublishSink;
import org.labmeter.collector.metrics.CollectorMetrics;
import org.labmeter.collector.mqtt.ConnectionServices;
import org.labmeter.collector.mqtt.MqttConnectionHandler;
import org.labmeter.collector.mqtt.SessionRegistry;
import org.labmeter.collector.store.BatchStore;
import org.labmeter.collector.verify.BatchVerifier;
import org.labmeter.collector.verify.ChainId;
import org.labmeter.collector.verify.InMemoryChainHeads;
import org.labmeter.collector.verify.Quarantine;
import org.labmeter.collector.verify.Verdict;
import org.labmeter.wire.AgentPublicKey;
import org.labmeter.wire.BatchCodec;
import org.labmeter.wire.BatchHash;
import org.labmeter.wire.DecodeResult;
import org.labmeter.wire.Ed25519Signer;
import org.labmeter.wire.SignedBatch;

/**
 * Mutated MQTT frames through the real decoder and connection handler on an in-memory channel, and
 * mutated envelopes through the codec and the verifier. Nothing may throw past them, no buffer may
 * leak (Surefire runs with {@code -Dio.netty.leakDetection.level=paranoid}), and nothing but a
 * genuine, unaltered envelope may ever be stored or accepted.
 *
 * <p>Seed and time budget: {@code -Dfuzz.seed=} and {@code -Dfuzz.seconds=} (each of the two tests
 * gets half); bench/collector-fuzz.sh runs it longer.
 */
class CollectorFuzzTest {
  private static final long SEED = Long.getLong("fuzz.seed", 20_240_611L);
  private static final Duration BUDGET = Duration.ofSeconds(Long.getLong("fuzz.seconds", 10));
  private static final Ed25519Signer KEY = TestBatches.signer(1);
  private static final String AGENT = "agent-1";
  private static final String INSTRUMENT = "nmr-1";
  private static final String TOPIC = "labmeter/v1/agent-1/nmr-1/telemetry";

  private final List<String> unexpected = new CopyOnWriteArrayList<>();
  private final AppenderBase<ILoggingEvent> failures =
      new AppenderBase<>() {
        @Override
        protected void append(ILoggingEvent event) {
          if (event.getThrowableProxy() != null || event.getLevel().isGreaterOrEqual(Level.ERROR)) {
            unexpected.add(
                event.getFormattedMessage()
                    + (event.getThrowableProxy() == null
                        ? ""
                        : ": " + event.getThrowableProxy().getClassName()));
          }
        }
      };
  private Logger labmeterLog;
  private Level savedLevel;

  /** The genuine envelopes: fresh time stamps, so that the verifier accepts them. */
  private List<byte[]> genuine;

  private Set<String> genuineHex;

  @BeforeEach
  void quietLogsAndCatchFailures() {
    // Thousands of refused connections are expected here: keep them off the console, but catch
    // anything logged with an exception or as an error.
    labmeterLog = (Logger) org.slf4j.LoggerFactory.getLogger("org.labmeter");
    savedLevel = labmeterLog.getLevel();
    labmeterLog.setLevel(Level.WARN);
    labmeterLog.setAdditive(false);
    failures.start();
    labmeterLog.addAppender(failures);

    long first = (System.currentTimeMillis() / 1000 - 600) * 1000;
    genuine = new ArrayList<>();
    BatchHash previous = BatchHash.ZERO;
    for (int seq = 0; seq < 6; seq++) {
      int samples = 1 + seq * 3;
      SignedBatch b =
          TestBatches.batch(KEY, AGENT, INSTRUMENT, seq, previous, first + seq * 20_000L, samples);
      genuine.add(b.envelope());
      previous = b.hash();
    }
    genuineHex = new HashSet<>();
    genuine.forEach(e -> genuineHex.add(hex(e)));
  }

  @AfterEach
  void restoreLogs() {
    labmeterLog.detachAppender(failures);
    labmeterLog.setAdditive(true);
    labmeterLog.setLevel(savedLevel);
  }

  @Test
  void mutatedFramesNeverEscapeTheHandlerLeakOrStoreAnythingButGenuineBatches() {
    assertThat(ResourceLeakDetector.getLevel()).isEqualTo(ResourceLeakDetector.Level.PARANOID);
    long seed = SEED;
    System.out.printf("frame fuzz: seed %d, %s%n", seed, BUDGET.dividedBy(2));
    Random random = new Random(seed);
    Mutator mutator = new Mutator(random);
    List<byte[]> stored = new CopyOnWriteArrayList<>();
    BatchStore store = batches -> batches.forEach(w -> stored.add(w.batch().envelope()));
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    CollectorMetrics metrics = new CollectorMetrics(registry);
    InMemoryChainHeads heads = new InMemoryChainHeads();
    ConnectionServices services =
        new ConnectionServices(
            new Authenticator(
                new InMemoryAgentDirectory()
                    .put(TestBatches.agent(AGENT, "secret-1", KEY, INSTRUMENT))),
            Runnable::run,
            inlineWorkers(),
            new VerifyingPublishSink(
                h ->
                    new BatchVerifier(
                        h, Duration.ofMinutes(5), Duration.ofHours(1), Clock.systemUTC()),
                heads,
                store,
                new Quarantine(16),
                metrics,
                Clock.systemUTC()),
            new SessionRegistry(),
            metrics);

    long deadline = System.nanoTime() + BUDGET.dividedBy(2).toNanos();
    int runs = 0;
    while (System.nanoTime() < deadline) {
      List<byte[]> frames = seedFrames(random);
      int target = random.nextInt(frames.size());
      byte[] mutated = mutator.mutate(frames.get(target), lengthFieldsOf(frames.get(target)));
      frames.set(target, mutated);
      feed(services, concat(frames), random, seed, runs);
      runs++;
    }

    LeakProbe.flushReports();
    System.out.printf(
        "frame fuzz: %d connections, %d batches stored, %.0f refused packets%n",
        runs,
        stored.size(),
        registry.find("collector.rejected").counters().stream().mapToDouble(c -> c.count()).sum());
    assertThat(unexpected).as("seed %d", seed).isEmpty();
    assertThat(stored)
        .as("seed %d: only genuine envelopes are stored", seed)
        .allSatisfy(e -> assertThat(genuineHex).contains(hex(e)));
    assertThat(LeakLog.reports()).as("seed %d", seed).isEmpty();
  }

  @Test
  void mutatedEnvelopesDecodeToValuesAndNeverVerify() {
    long seed = SEED + 1;
    System.out.printf("envelope fuzz: seed %d, %s%n", seed, BUDGET.dividedBy(2));
    Random random = new Random(seed);
    Mutator mutator = new Mutator(random);
    AgentPublicKey key = KEY.publicKey();
    BatchVerifier verifier =
        new BatchVerifier(
            new InMemoryChainHeads(),
            Duration.ofMinutes(5),
            Duration.ofHours(1),
            Clock.systemUTC());
    long deadline = System.nanoTime() + BUDGET.dividedBy(2).toNanos();
    int runs = 0;
    int decoded = 0;
    while (System.nanoTime() < deadline) {
      byte[] original = genuine.get(random.nextInt(genuine.size()));
      byte[] mutated = mutator.mutate(original, envelopeLengthFields(original));
      String where = "seed " + seed + ", run " + runs + ", bytes " + hex(mutated);
      boolean isGenuine = genuineHex.contains(hex(mutated));

      DecodeResult result = BatchCodec.decode(mutated);
      assertThat(result).as(where).isNotNull();
      if (result instanceof DecodeResult.Decoded d) {
        decoded++;
        assertThat(d.signedBatch().envelope()).as(where).isEqualTo(mutated);
        assertThat(d.signedBatch().verify(key)).as(where).isEqualTo(isGenuine);
      }
      Verdict verdict = verifier.verify(AGENT, INSTRUMENT, key, mutated);
      verifier.discard(new ChainId(AGENT, INSTRUMENT)); // nothing is stored here
      if (isGenuine) {
        assertThat(verdict).as(where).isInstanceOf(Verdict.Accepted.class);
      } else {
        assertThat(verdict).as(where).isInstanceOf(Verdict.Rejected.class);
      }
      runs++;
    }
    System.out.printf("envelope fuzz: %d envelopes, %d still decoded%n", runs, decoded);
    assertThat(unexpected).as("seed %d", seed).isEmpty();
  }

  // ---- frames ----

  /** A connection's worth of valid frames, with one to three genuine telemetry publishes. */
  private List<byte[]> seedFrames(Random random) {
    List<byte[]> frames = new ArrayList<>();
    frames.add(RawMqtt.connect("fuzz-" + random.nextInt(4), AGENT, "secret-1"));
    int publishes = 1 + random.nextInt(3);
    for (int i = 0; i < publishes; i++) {
      frames.add(RawMqtt.publishQos1(TOPIC, genuine.get(random.nextInt(genuine.size()))));
    }
    switch (random.nextInt(4)) {
      case 0 -> frames.add(new byte[] {(byte) 0xC0, 0x00}); // PINGREQ
      case 1 ->
          frames.add(
              RawMqtt.frame(
                  0x82, // SUBSCRIBE, reserved flags 0010
                  new byte[] {0x00, 0x05, 0x00, 0x01, '#', 0x01})); // id 5, filter "#", QoS 1
      case 2 -> frames.add(RawMqtt.frame(0x30, "\0\u001alabmeter/v1/agent-1/status{}".getBytes()));
      default -> {}
    }
    if (random.nextBoolean()) {
      frames.add(new byte[] {(byte) 0xE0, 0x00}); // DISCONNECT
    }
    return frames;
  }

  /**
   * Offsets of length fields in a frame: the first remaining-length byte(s) and, for CONNECT and
   * PUBLISH, the two bytes of the first string length after the fixed header.
   */
  private static List<Integer> lengthFieldsOf(byte[] frame) {
    int header = 1;
    while (header < frame.length && header < 5 && (frame[header] & 0x80) != 0) {
      header++;
    }
    List<Integer> fields = new ArrayList<>();
    for (int i = 1; i <= header; i++) {
      fields.add(i);
    }
    fields.add(header + 1);
    fields.add(header + 2);
    return fields;
  }

  /** Feeds one connection's bytes in random slices, then closes it and releases what came out. */
  private void feed(ConnectionServices services, byte[] bytes, Random random, long seed, int run) {
    EmbeddedChannel ch =
        new EmbeddedChannel(
            new MqttDecoder(CollectorConfig.DEFAULT_MAX_PACKET_BYTES),
            MqttEncoder.INSTANCE,
            new MqttConnectionHandler(services));
    try {
      int at = 0;
      while (at < bytes.length && ch.isOpen()) {
        int n = 1 + random.nextInt(Math.min(bytes.length - at, 512));
        ByteBuf slice = ch.alloc().buffer(n); // leak-tracked, unlike a wrapped array
        slice.writeBytes(bytes, at, n);
        ch.writeInbound(slice);
        at += n;
      }
      ch.runPendingTasks();
      ch.checkException();
    } catch (RuntimeException e) {
      unexpected.add("seed " + seed + ", run " + run + ", bytes " + hex(bytes) + ": " + e);
    } finally {
      ch.finishAndReleaseAll();
    }
  }

  // ---- envelopes ----

  /** agentId length, instrumentId length, both bytes of the sample count, version and flags. */
  private static List<Integer> envelopeLengthFields(byte[] envelope) {
    int agentLength = envelope[6] & 0xFF;
    int instrumentAt = 7 + agentLength;
    int countAt = instrumentAt + 1 + (envelope[instrumentAt] & 0xFF) + 4 + 8 + 32 + 8 + 4;
    return List.of(4, 5, 6, instrumentAt, countAt, countAt + 1);
  }

  // ---- helpers ----

  private static ShardDispatcher inlineWorkers() {
    return (agentId, task, resume) -> {
      task.run();
      return ShardDispatcher.Admission.ACCEPTED;
    };
  }

  private static byte[] concat(List<byte[]> frames) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    frames.forEach(out::writeBytes);
    return out.toByteArray();
  }

  private static String hex(byte[] bytes) {
    StringBuilder sb = new StringBuilder(bytes.length * 2);
    for (byte b : bytes) {
      sb.append(Character.forDigit((b >> 4) & 0xF, 16)).append(Character.forDigit(b & 0xF, 16));
    }
    return sb.toString();
  }
}
