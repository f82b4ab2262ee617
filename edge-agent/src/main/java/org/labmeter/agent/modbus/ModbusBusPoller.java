package org.labmeter.agent.modbus;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.labmeter.agent.config.ModbusBus;
import org.labmeter.agent.pipeline.PollerThread;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Polls the devices of one bus (a serial segment or a TCP gateway) on one named thread, {@code
 * labmeter-modbus-<bus>}, one request in flight at a time as Modbus RTU requires. Each device is
 * polled on its own period; the device due soonest goes first, so a dead device costs the others at
 * most its own timeout and retries. When the connection fails, every due device is UNAVAILABLE at
 * once (no waiting) and the poller reconnects after {@code reconnectMillis}, doubling up to a
 * minute.
 */
public final class ModbusBusPoller {
  private static final Logger log = LoggerFactory.getLogger(ModbusBusPoller.class);
  private static final long MAX_RECONNECT_MILLIS = 60_000;

  private final String agentId;
  private final ModbusBus bus;
  private final List<ModbusDevice> devices = new ArrayList<>();
  private final Clock clock;
  private final PollerThread poller;
  private ModbusConnection connection;
  private long nextConnectMillis;
  private long reconnectDelay;

  public ModbusBusPoller(String agentId, ModbusBus bus, Clock clock) {
    this.agentId = agentId;
    this.bus = bus;
    this.clock = clock;
    this.reconnectDelay = bus.timing().reconnectMillis();
    this.poller = new PollerThread("labmeter-modbus-" + bus.key(), this::run);
  }

  public ModbusBus bus() {
    return bus;
  }

  /** Adds a device; only before {@link #start}. */
  public synchronized void add(ModbusDevice device) {
    if (poller.started()) {
      throw new IllegalStateException("poller for " + bus.key() + " already started");
    }
    devices.add(device);
  }

  /** Starts the thread; completes at once, since the first connection is tried on the thread. */
  public synchronized CompletableFuture<Void> start() {
    if (!poller.started()) {
      long now = clock.millis();
      devices.forEach(d -> d.scheduleFirst(now));
    }
    return poller.start();
  }

  /** Stops polling and closes the connection; completes when the thread has ended. Idempotent. */
  public CompletableFuture<Void> stop() {
    return poller.stop();
  }

  private void run() {
    log.info("agent {}: polling {} Modbus devices on {}", agentId, devices.size(), bus.key());
    try {
      while (poller.running()) {
        ModbusDevice next =
            devices.stream()
                .min(Comparator.comparingLong(ModbusDevice::nextPollMillis))
                .orElse(null);
        if (next == null) {
          return;
        }
        long wait = next.nextPollMillis() - clock.millis();
        if (wait > 0) {
          LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(wait));
          continue;
        }
        long start = clock.millis();
        next.poll(connected(start), start, clock);
        if (connection != null && !connection.isConnected()) {
          dropConnection("connection lost while polling " + next.instrumentId());
        }
      }
    } catch (RuntimeException e) {
      log.error(
          "agent {}: Modbus poller for {} failed; its devices read UNAVAILABLE: {}",
          agentId,
          bus.key(),
          e.toString());
    } finally {
      if (connection != null) {
        connection.close();
        connection = null;
      }
    }
  }

  /** The connection, connecting when due; null while the bus is down. */
  private ModbusConnection connected(long now) {
    if (connection != null) {
      return connection;
    }
    if (now < nextConnectMillis) {
      return null;
    }
    ModbusConnection c = null;
    try {
      c = new ModbusConnection(bus);
      c.connect();
      connection = c;
      reconnectDelay = bus.timing().reconnectMillis();
      log.info("agent {}: connected to Modbus bus {}", agentId, bus.key());
      return c;
    } catch (Exception e) {
      if (c != null) {
        c.close();
      }
      nextConnectMillis = now + reconnectDelay;
      log.warn(
          "agent {}: cannot connect to Modbus bus {} ({}); devices there are UNAVAILABLE,"
              + " retrying in {} ms",
          agentId,
          bus.key(),
          e.toString(),
          reconnectDelay);
      reconnectDelay = Math.min(MAX_RECONNECT_MILLIS, reconnectDelay * 2);
      return null;
    }
  }

  private void dropConnection(String why) {
    log.warn("agent {}: Modbus bus {}: {}; reconnecting", agentId, bus.key(), why);
    connection.close();
    connection = null;
    nextConnectMillis = clock.millis();
  }
}
