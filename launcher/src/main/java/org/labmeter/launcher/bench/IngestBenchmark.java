package org.labmeter.launcher.bench;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.labmeter.collector.Collector;
import org.labmeter.collector.auth.AgentRecord;
import org.labmeter.collector.auth.CredentialHash;
import org.labmeter.collector.auth.InMemoryAgentDirectory;
import org.labmeter.collector.config.CollectorConfig;
import org.labmeter.collector.store.EmbeddedQuestDb;
import org.labmeter.collector.verify.InMemoryChainHeads;
import org.labmeter.wire.Batch;
import org.labmeter.wire.BatchCodec;
import org.labmeter.wire.BatchHash;
import org.labmeter.wire.Ed25519Signer;
import org.labmeter.wire.Sample;
import org.labmeter.wire.SignedBatch;
import org.labmeter.wire.Topics;

/**
 * One agent publishing pre-signed 10-sample batches at QoS 1 through Paho as fast as its in-flight
 * window allows, into a real collector writing to embedded QuestDB. Reports accepted batches per
 * second and publish→PUBACK latency. Batches are signed before the clock starts, so the number is
 * the collector's and the store's, not the load generator's.
 */
public final class IngestBenchmark {
  private final int seconds;
  private final int maxInflight;
  private final PrintStream out;

  public IngestBenchmark(int seconds, int maxInflight, PrintStream out) {
    this.seconds = seconds;
    this.maxInflight = maxInflight;
    this.out = out;
  }

  public void run() throws Exception {
    Path root = Files.createTempDirectory("labmeter-bench");
    Ed25519Signer key = Ed25519Signer.generate(new SecureRandom());
    String secret = "bench-secret";
    InMemoryAgentDirectory directory =
        new InMemoryAgentDirectory()
            .put(
                new AgentRecord(
                    "bench-agent",
                    CredentialHash.create(secret.toCharArray()).encoded(),
                    key.publicKey(),
                    Set.of("bench-instrument"),
                    true));
    // enough batches for the run at well above the rates seen here; signing happens up front
    int count = Math.max(20_000, seconds * 3_000);
    out.printf("signing %d batches of 10 samples ...%n", count);
    List<byte[]> envelopes = presign(key, count);
    try (EmbeddedQuestDb store = EmbeddedQuestDb.start(root.resolve("questdb"), 0, 0)) {
      CollectorConfig config = CollectorConfig.create(b -> b.mqttPort(0).storeUrl(store.httpUrl()));
      Collector collector =
          new Collector(config, directory, new InMemoryChainHeads(), new SimpleMeterRegistry());
      collector.start().join();
      try {
        measure(collector.mqttPort(), secret, envelopes);
      } finally {
        collector.stop();
      }
    }
  }

  private static List<byte[]> presign(Ed25519Signer key, int count) {
    List<byte[]> out = new ArrayList<>(count);
    BatchHash previous = BatchHash.ZERO;
    long t0 = System.currentTimeMillis() - count * 10_000L;
    for (int i = 0; i < count; i++) {
      List<Sample> samples = new ArrayList<>(10);
      for (int s = 0; s < 10; s++) {
        long ts = t0 + (i * 10L + s) * 1000L;
        samples.add(Sample.power(ts, 1500 + (ts % 97), 100 + ts / 3.6e9));
      }
      SignedBatch signed =
          BatchCodec.sign(
              new Batch(
                  "bench-agent",
                  "bench-instrument",
                  1,
                  i,
                  previous,
                  t0 + i * 10_000L,
                  Batch.CLOCK_OFFSET_UNKNOWN,
                  samples),
              key);
      previous = signed.hash();
      out.add(signed.envelope());
    }
    return out;
  }

  private void measure(int port, String secret, List<byte[]> envelopes) throws Exception {
    MqttAsyncClient client =
        new MqttAsyncClient("tcp://127.0.0.1:" + port, "bench-agent", new MemoryPersistence());
    MqttConnectOptions options = new MqttConnectOptions();
    options.setUserName("bench-agent");
    options.setPassword(secret.toCharArray());
    options.setCleanSession(true);
    options.setMaxInflight(maxInflight);
    options.setAutomaticReconnect(false);
    Semaphore window = new Semaphore(maxInflight);
    AtomicLong acked = new AtomicLong();
    long[] sentAt = new long[envelopes.size()];
    long[] latency = new long[envelopes.size()];
    client.setCallback(
        new MqttCallback() {
          @Override
          public void connectionLost(Throwable cause) {
            out.println("connection lost: " + cause);
          }

          @Override
          public void messageArrived(String topic, MqttMessage message) {}

          @Override
          public void deliveryComplete(IMqttDeliveryToken token) {
            int i = (Integer) token.getUserContext();
            latency[i] = System.nanoTime() - sentAt[i];
            acked.incrementAndGet();
            window.release();
          }
        });
    client.connect(options).waitForCompletion(10_000);
    String topic = Topics.telemetry("bench-agent", "bench-instrument");
    long start = System.nanoTime();
    long end = start + TimeUnit.SECONDS.toNanos(seconds);
    int sent = 0;
    while (System.nanoTime() < end && sent < envelopes.size()) {
      if (!window.tryAcquire(100, TimeUnit.MILLISECONDS)) {
        continue;
      }
      MqttMessage m = new MqttMessage(envelopes.get(sent));
      m.setQos(1);
      sentAt[sent] = System.nanoTime();
      client.publish(topic, m, sent, null);
      sent++;
    }
    window.tryAcquire(maxInflight, 30, TimeUnit.SECONDS);
    double elapsed = (System.nanoTime() - start) / 1e9;
    long done = acked.get();
    long[] lat = Arrays.copyOf(latency, (int) done);
    Arrays.sort(lat);
    client.disconnect().waitForCompletion(5_000);
    client.close();
    out.printf(
        "accepted %d batches (%d samples) in %.1f s: %.0f batches/s, %.0f samples/s%n",
        done, done * 10, elapsed, done / elapsed, done * 10 / elapsed);
    if (lat.length > 0) {
      out.printf(
          "publish->PUBACK latency: p50 %.2f ms, p99 %.2f ms, max %.2f ms (max in flight %d)%n",
          lat[lat.length / 2] / 1e6,
          lat[(int) Math.min(lat.length - 1, Math.floor(lat.length * 0.99))] / 1e6,
          lat[lat.length - 1] / 1e6,
          maxInflight);
    }
  }
}
