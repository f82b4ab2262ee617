package org.labmeter.agent.clock;

import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.labmeter.agent.config.ClockConfig;
import org.labmeter.wire.Batch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Measures the agent's clock offset every {@code intervalSeconds} on its own thread ({@code
 * labmeter-clock-<agent>}), since a UDP wait or a {@code chronyc} run must not hold up sampling.
 * The last good measurement is what batches carry until it is older than three intervals; then, and
 * before the first one, they carry unknown. A failed measurement is logged when the state changes,
 * not at every attempt.
 */
public final class ClockMonitor {
  private static final Logger log = LoggerFactory.getLogger(ClockMonitor.class);
  private static final int STALE_AFTER_INTERVALS = 3;

  private final String agentId;
  private final ClockConfig config;
  private final Clock clock;
  private final SntpClient sntp;
  private final ChronyTracking chrony;
  private volatile long offsetMillis;
  private volatile long measuredAtMillis = Long.MIN_VALUE;
  private boolean failing;
  private ScheduledExecutorService executor;
  private CompletableFuture<Void> firstRound;

  public ClockMonitor(String agentId, ClockConfig config, Clock clock) {
    this.agentId = agentId;
    this.config = config;
    this.clock = clock;
    this.sntp = new SntpClient(clock);
    this.chrony = new ChronyTracking(config.chronyc());
  }

  /**
   * Starts measuring; completes after the first attempt, whatever it gave. With source {@code none}
   * nothing runs and the offset stays unknown.
   */
  public synchronized CompletableFuture<Void> start() {
    if (firstRound != null) {
      return firstRound;
    }
    firstRound = new CompletableFuture<>();
    if (config.source() == ClockConfig.Source.NONE) {
      firstRound.complete(null);
      return firstRound;
    }
    executor =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "labmeter-clock-" + agentId);
              t.setDaemon(true);
              return t;
            });
    executor.scheduleWithFixedDelay(
        () -> {
          measureOnce();
          firstRound.complete(null);
        },
        0,
        config.intervalSeconds(),
        TimeUnit.SECONDS);
    return firstRound;
  }

  /** Idempotent. */
  public synchronized void stop() {
    if (executor != null) {
      executor.shutdownNow();
    }
  }

  /** The offset to put into the next batch, or {@link Batch#CLOCK_OFFSET_UNKNOWN}. */
  public int offsetMillis() {
    long at = measuredAtMillis;
    if (at == Long.MIN_VALUE
        || clock.millis() - at > STALE_AFTER_INTERVALS * 1000L * config.intervalSeconds()) {
      return Batch.CLOCK_OFFSET_UNKNOWN;
    }
    long offset = offsetMillis;
    // the envelope has an i32; the unknown marker itself is not a value
    return (int) Math.max(Integer.MIN_VALUE + 1L, Math.min(Integer.MAX_VALUE, offset));
  }

  /** One measurement: each configured server in turn until one answers, or chrony. */
  OffsetMeasurement measureOnce() {
    OffsetMeasurement result = measure();
    if (result instanceof OffsetMeasurement.Measured m) {
      offsetMillis = m.offsetMillis();
      measuredAtMillis = clock.millis();
      if (failing) {
        log.info(
            "agent {}: clock offset measured again: {} ms from {}",
            agentId,
            m.offsetMillis(),
            m.source());
      }
      log.debug("agent {}: clock offset {} ms from {}", agentId, m.offsetMillis(), m.source());
      failing = false;
    } else if (result instanceof OffsetMeasurement.Failed f && !failing) {
      log.warn(
          "agent {}: cannot measure the clock offset ({}: {}); batches say unknown once the last"
              + " measurement is {} intervals old",
          agentId,
          f.source(),
          f.reason(),
          STALE_AFTER_INTERVALS);
      failing = true;
    }
    return result;
  }

  private OffsetMeasurement measure() {
    if (config.source() == ClockConfig.Source.CHRONY) {
      return chrony.read(config.timeoutMillis());
    }
    OffsetMeasurement last = new OffsetMeasurement.Failed("sntp", "no servers");
    for (String server : config.servers()) {
      last = sntp.query(ClockConfig.host(server), ClockConfig.port(server), config.timeoutMillis());
      if (last instanceof OffsetMeasurement.Measured) {
        return last;
      }
    }
    return last;
  }
}
