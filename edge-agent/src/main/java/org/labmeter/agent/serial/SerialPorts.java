package org.labmeter.agent.serial;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.labmeter.agent.config.SerialSource;

/**
 * The agent's serial status pollers, one per port. An RS-232 line carries one instrument, so a
 * second instrument naming the same port is refused with both instruments named.
 */
public final class SerialPorts {
  private final String agentId;
  private final MeterRegistry registry;
  private final Clock clock;
  private final Map<String, SerialStatusPoller> pollers = new LinkedHashMap<>();

  public SerialPorts(String agentId, MeterRegistry registry, Clock clock) {
    this.agentId = agentId;
    this.registry = registry;
    this.clock = clock;
  }

  /**
   * Creates the instrument and its poller.
   *
   * @throws IllegalArgumentException when another instrument already uses the port
   */
  public synchronized SerialInstrument add(String instrumentId, SerialSource source) {
    String port = source.line().port();
    SerialStatusPoller existing = pollers.get(port);
    if (existing != null) {
      throw new IllegalArgumentException(
          "instrument "
              + instrumentId
              + ": serial port "
              + port
              + " is already used by instrument "
              + existing.instrument().instrumentId()
              + "; one instrument per serial line");
    }
    SerialInstrument instrument = new SerialInstrument(agentId, instrumentId, source, registry);
    pollers.put(port, new SerialStatusPoller(agentId, instrument, clock));
    return instrument;
  }

  public synchronized CompletableFuture<Void> start() {
    pollers.values().forEach(SerialStatusPoller::start);
    return CompletableFuture.completedFuture(null);
  }

  /** Stops every poller and closes its port; idempotent. */
  public synchronized CompletableFuture<Void> stop() {
    List<CompletableFuture<Void>> all = new ArrayList<>();
    pollers.values().forEach(p -> all.add(p.stop()));
    return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new));
  }

  public synchronized int portCount() {
    return pollers.size();
  }
}
