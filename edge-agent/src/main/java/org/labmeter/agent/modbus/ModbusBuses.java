package org.labmeter.agent.modbus;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.labmeter.agent.config.ModbusSource;

/**
 * The agent's Modbus pollers, one per bus key. Devices that name the same bus must configure it
 * identically (same timing, same serial settings), because they share one connection; a mismatch is
 * refused with both instruments named.
 */
public final class ModbusBuses {
  private final String agentId;
  private final MeterRegistry registry;
  private final Clock clock;
  private final Map<String, ModbusBusPoller> pollers = new LinkedHashMap<>();
  private final Map<String, String> firstInstrument = new LinkedHashMap<>();

  public ModbusBuses(String agentId, MeterRegistry registry, Clock clock) {
    this.agentId = agentId;
    this.registry = registry;
    this.clock = clock;
  }

  /**
   * Creates the device and puts it on its bus's poller.
   *
   * @throws IllegalArgumentException when the bus settings differ from an earlier device's
   */
  public synchronized ModbusDevice add(String instrumentId, ModbusSource source) {
    String key = source.bus().key();
    ModbusBusPoller poller = pollers.get(key);
    if (poller == null) {
      poller = new ModbusBusPoller(agentId, source.bus(), clock);
      pollers.put(key, poller);
      firstInstrument.put(key, instrumentId);
    } else if (!poller.bus().equals(source.bus())) {
      throw new IllegalArgumentException(
          "instrument "
              + instrumentId
              + ": Modbus bus "
              + key
              + " is configured differently for instrument "
              + firstInstrument.get(key)
              + " ("
              + poller.bus()
              + " vs "
              + source.bus()
              + "); devices on one bus must agree on its settings");
    }
    ModbusDevice device = new ModbusDevice(agentId, instrumentId, source, registry);
    poller.add(device);
    return device;
  }

  public synchronized CompletableFuture<Void> start() {
    pollers.values().forEach(ModbusBusPoller::start);
    return CompletableFuture.completedFuture(null);
  }

  /** Stops every poller; idempotent. */
  public synchronized CompletableFuture<Void> stop() {
    List<CompletableFuture<Void>> all = new ArrayList<>();
    pollers.values().forEach(p -> all.add(p.stop()));
    return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new));
  }

  public synchronized int busCount() {
    return pollers.size();
  }
}
