package org.labmeter.launcher.bench.fleet;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.timeout.IdleStateHandler;
import java.io.DataInputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.labmeter.wire.Topics;

/**
 * The fleet load generator: one MQTT connection per simulated agent, pre-signed batches streamed
 * from a {@link FleetBatches} file at a constant offered rate (open loop: latency is measured from
 * the intended send time, so a stalled server cannot hide its stall by slowing the generator).
 */
public final class FleetLoad {
  /** The latency target at half the fleet rate: seconds above it are counted. */
  private static final double PER_SECOND_LIMIT_MS = 20;

  /** The sender sleeps at least this long between hand-overs to the event loop. */
  private static final long SEND_TICK_NANOS = 500_000;

  /** What to run; {@code rate == 0} connects the agents and holds them idle. */
  public record Settings(
      String host,
      int port,
      int agents,
      int rate,
      int seconds,
      int holdSeconds,
      Path batchFile,
      boolean credentials,
      boolean drainSubscriber,
      List<int[]> windows,
      boolean timeline) {}

  private final Settings settings;
  private final PrintStream out;

  public FleetLoad(Settings settings, PrintStream out) {
    this.settings = settings;
    this.out = out;
  }

  public void run() throws Exception {
    Settings s = settings;
    long expected = (long) s.rate() * s.seconds();
    LatencyLog latencies = new LatencyLog((int) Math.min(Integer.MAX_VALUE - 8, expected + 1024));
    AtomicLong acked = new AtomicLong();
    AtomicLong received = new AtomicLong();
    EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    List<FleetConnection> connections = new ArrayList<>(s.agents());
    FleetConnection drain = null;
    try {
      if (s.drainSubscriber()) {
        drain =
            new FleetConnection(
                "fleet-drain", null, null, "labmeter/v1/+/+/telemetry", latencies, acked, received);
        connect(group, drain).get(30, TimeUnit.SECONDS);
      }
      long t0 = System.nanoTime();
      Semaphore pending = new Semaphore(200);
      List<CompletableFuture<Void>> ready = new ArrayList<>(s.agents());
      for (int a = 0; a < s.agents(); a++) {
        FleetAgent agent = FleetAgent.of(a);
        FleetConnection c =
            new FleetConnection(
                agent.agentId(),
                agent.agentId(),
                s.credentials() ? agent.secret() : null,
                null,
                latencies,
                acked,
                received);
        connections.add(c);
        pending.acquire();
        CompletableFuture<Void> f = connect(group, c).whenComplete((v, e) -> pending.release());
        ready.add(f);
      }
      CompletableFuture.allOf(ready.toArray(CompletableFuture[]::new)).get(600, TimeUnit.SECONDS);
      out.printf("CONNECTED %d agents in %.1f s%n", s.agents(), (System.nanoTime() - t0) / 1e9);
      if (s.rate() == 0) {
        out.printf("holding %d idle connections for %d s%n", s.agents(), s.holdSeconds());
        out.flush();
        LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(s.holdSeconds()));
        return;
      }
      send(connections, latencies, acked, received);
    } finally {
      for (FleetConnection c : connections) {
        c.close();
      }
      if (drain != null) {
        drain.close();
      }
      group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
  }

  private CompletableFuture<Void> connect(EventLoopGroup group, FleetConnection c) {
    new Bootstrap()
        .group(group)
        .channel(NioSocketChannel.class)
        .option(ChannelOption.TCP_NODELAY, true)
        .handler(
            new ChannelInitializer<SocketChannel>() {
              @Override
              protected void initChannel(SocketChannel ch) {
                ch.pipeline()
                    .addLast(new IdleStateHandler(0, 30, 0))
                    .addLast(new MqttDecoder(1 << 20))
                    .addLast(MqttEncoder.INSTANCE)
                    .addLast(c);
              }
            })
        .connect(settings.host(), settings.port())
        .addListener(
            f -> {
              if (!f.isSuccess()) {
                c.ready().completeExceptionally(f.cause());
              }
            });
    return c.ready();
  }

  private void send(
      List<FleetConnection> connections,
      LatencyLog latencies,
      AtomicLong acked,
      AtomicLong received)
      throws Exception {
    Settings s = settings;
    String[] topics = new String[s.agents()];
    for (int a = 0; a < s.agents(); a++) {
      FleetAgent agent = FleetAgent.of(a);
      topics[a] = Topics.telemetry(agent.agentId(), agent.instrumentId());
    }
    long sent = 0;
    double nanosPerBatch = 1e9 / s.rate();
    try (DataInputStream in = FleetBatches.open(s.batchFile())) {
      FleetBatches.Header header = FleetBatches.readHeader(in);
      if (header.agents() != s.agents()) {
        throw new IllegalArgumentException(
            "batch file has " + header.agents() + " agents, the run " + s.agents());
      }
      long available = header.records();
      long total = Math.min(available, (long) s.rate() * s.seconds());
      if (total < (long) s.rate() * s.seconds()) {
        out.printf("note: the batch file holds %d batches, fewer than the run needs%n", available);
      }
      long start = System.nanoTime();
      // the wall clock of second 0, to line the timeline up with GC logs and system counters
      out.printf(
          "offering %d PUBLISH/s for %d s (%d batches), second 0 at %s%n",
          s.rate(), s.seconds(), total, Instant.now());
      latencies.begin(start);
      reporter(start, acked, received).start();
      // Every batch due is handed to the event loop in one task, and the sender then sleeps at
      // least SEND_TICK_NANOS: at 5,000/s it wakes (and wakes the loop) about 2,000 times a second
      // instead of 5,000, which leaves that CPU to the server on the same machine. A batch sent
      // later than its intended time carries the delay in its latency.
      List<FleetConnection.Send> due = new ArrayList<>();
      long i = 0;
      boolean more = true;
      while (more && i < total) {
        long now = System.nanoTime();
        for (long intended = start + (long) (i * nanosPerBatch);
            i < total && intended <= now;
            intended = start + (long) (i * nanosPerBatch)) {
          byte[] envelope = FleetBatches.next(in);
          if (envelope == null) {
            more = false;
            break;
          }
          int a = (int) (i % s.agents());
          due.add(new FleetConnection.Send(connections.get(a), topics[a], envelope, intended));
          i++;
        }
        if (!due.isEmpty()) {
          FleetConnection.publishAll(due);
          sent += due.size();
          due = new ArrayList<>();
        }
        long next = start + (long) (i * nanosPerBatch);
        LockSupport.parkNanos(Math.max(SEND_TICK_NANOS, next - System.nanoTime()));
      }
      long sendEnd = System.nanoTime();
      long deadline = sendEnd + TimeUnit.SECONDS.toNanos(60);
      while (acked.get() < sent && System.nanoTime() < deadline) {
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
      }
      double sendSeconds = (sendEnd - start) / 1e9;
      double drainSeconds = (System.nanoTime() - sendEnd) / 1e9;
      out.printf(
          "RESULT offered %d/s: sent %d in %.1f s, acknowledged %d (%.0f/s over the send period),"
              + " last ack %.2f s after the last send%n",
          s.rate(), sent, sendSeconds, acked.get(), acked.get() / sendSeconds, drainSeconds);
      if (s.drainSubscriber()) {
        out.printf("drain subscriber received %d%n", received.get());
      }
      LatencyLog.print(out, "RESULT whole run", latencies.window(0, Integer.MAX_VALUE));
      for (int[] w : s.windows()) {
        String label = "RESULT seconds " + w[0] + "-" + w[1];
        LatencyLog.print(out, label, latencies.window(w[0], w[1]));
        latencies.printPerSecond(out, label, w[0], w[1], PER_SECOND_LIMIT_MS);
      }
      if (s.timeline()) {
        latencies.printTimeline(out, (int) Math.ceil(sendSeconds + drainSeconds));
      }
    }
  }

  private Thread reporter(long start, AtomicLong acked, AtomicLong received) {
    Thread t =
        new Thread(
            () -> {
              long last = 0;
              long lastReceived = 0;
              for (int second = 10; ; second += 10) {
                long at = start + TimeUnit.SECONDS.toNanos(second);
                while (System.nanoTime() < at) {
                  LockSupport.parkNanos(at - System.nanoTime());
                }
                long a = acked.get();
                long r = received.get();
                out.printf(
                    "t=%4ds acks/s %7.0f  received/s %7.0f%n",
                    second, (a - last) / 10.0, (r - lastReceived) / 10.0);
                last = a;
                lastReceived = r;
              }
            },
            "fleet-load-report");
    t.setDaemon(true);
    return t;
  }
}
