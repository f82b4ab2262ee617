package org.labmeter.collector.store;

import com.influxdb.client.domain.WritePrecision;
import com.influxdb.client.write.Point;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.labmeter.collector.records.AgentStatus;
import org.labmeter.collector.records.IngestRecords;
import org.labmeter.collector.verify.QuarantinedPayload;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the quarantine ({@code lm_quarantine}) and agents' status ({@code lm_agent_status}) to the
 * time-series store from one thread, {@code collector-records}, so that workers never wait on it.
 * The queue is bounded ({@link #QUEUE}): when it is full a record is dropped and counted in {@code
 * collector.records.dropped{table}}; a failed write is retried after a pause (1 s doubling to 30 s)
 * while new records queue behind it. These rows are not evidence: nothing is acknowledged on them.
 */
public final class RecordTables implements IngestRecords, AutoCloseable {
  /** Bytes of a refused payload kept (before base64); {@code payload_bytes} has the full size. */
  public static final int PAYLOAD_CAP = 16 * 1024;

  static final String QUARANTINE = "lm_quarantine";
  static final String AGENT_STATUS = "lm_agent_status";
  static final int QUEUE = 4096;
  private static final Logger LOG = LoggerFactory.getLogger(RecordTables.class);
  private static final int GROUP = 256;
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

  private final SampleWriter writer;
  private final MeterRegistry registry;
  private final BlockingQueue<Point> queue = new ArrayBlockingQueue<>(QUEUE);
  private final Thread thread;
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile boolean stopping;

  /** Opened by {@link #close()}: ends a retry pause at once, so a stop never waits it out. */
  private final CountDownLatch stopSignal = new CountDownLatch(1);

  /** Starts the writer thread; {@code writer} stays the caller's to close, after this. */
  public RecordTables(SampleWriter writer, MeterRegistry registry) {
    this.writer = writer;
    this.registry = registry;
    this.thread = new Thread(this::run, "collector-records");
    thread.setDaemon(true);
    thread.start();
  }

  @Override
  public void quarantined(QuarantinedPayload q) {
    byte[] payload = q.payload();
    byte[] kept = payload.length <= PAYLOAD_CAP ? payload : Arrays.copyOf(payload, PAYLOAD_CAP);
    offer(
        QUARANTINE,
        Point.measurement(QUARANTINE)
            .addTag("agent", q.agentId() == null ? "" : q.agentId())
            .addTag("reason", q.reason().tag())
            .addField("topic", q.topic() == null ? "" : q.topic())
            .addField("detail", q.detail() == null ? "" : q.detail())
            .addField("payload_bytes", (long) payload.length)
            .addField("payload", Base64.getEncoder().encodeToString(kept))
            .time(q.receivedAt().toEpochMilli(), WritePrecision.MS));
  }

  @Override
  public void status(AgentStatus s) {
    offer(
        AGENT_STATUS,
        Point.measurement(AGENT_STATUS)
            .addTag("agent", s.agentId())
            .addTag("state", s.state())
            .addField("epoch", s.epoch())
            .addField("agent_ts", s.agentTsMillis())
            .time(s.receivedAtMillis(), WritePrecision.MS));
  }

  /** Records waiting to be written. */
  public int queued() {
    return queue.size();
  }

  private void offer(String table, Point point) {
    if (stopping || !queue.offer(point)) {
      registry.counter("collector.records.dropped", "table", table).increment();
    }
  }

  private void run() {
    List<Point> group = new ArrayList<>();
    long backoff = 1000;
    while (!stopping || !queue.isEmpty() || !group.isEmpty()) {
      try {
        if (group.isEmpty()) {
          Point first = queue.poll(200, TimeUnit.MILLISECONDS);
          if (first == null) {
            continue;
          }
          group.add(first);
          queue.drainTo(group, GROUP - 1);
        }
        writer.writePoints(group);
        group.clear();
        backoff = 1000;
      } catch (StoreWriteException e) {
        if (stopping) {
          LOG.warn(
              "Dropping {} quarantine/status records at shutdown: {}",
              group.size(),
              e.getMessage());
          return;
        }
        LOG.warn(
            "Writing {} quarantine/status records failed ({}); retrying in {} ms",
            group.size(),
            e.getMessage(),
            backoff);
        try {
          stopSignal.await(backoff, TimeUnit.MILLISECONDS); // a stop cuts the pause short
        } catch (InterruptedException ie) {
          return;
        }
        backoff = Math.min(backoff * 2, MAX_BACKOFF.toMillis());
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /** Writes what is queued (waiting up to 5 s), then stops the thread. Idempotent. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    stopping = true;
    stopSignal.countDown();
    try {
      thread.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (thread.isAlive()) {
      thread.interrupt();
    }
  }
}
