package org.labmeter.agent.modbus;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.concurrent.atomic.AtomicReference;
import org.labmeter.agent.config.ModbusSource;
import org.labmeter.agent.pipeline.SampleSource;
import org.labmeter.wire.Sample;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Modbus-backed instrument. Its bus's poller thread writes the newest result; the agent's
 * thread reads it through {@link #sampleAt}, which never touches the bus and so never blocks.
 *
 * <p>A sample at {@code t} carries the values of the newest poll if that poll finished no earlier
 * than {@link #maxAgeMillis()} before {@code t}; otherwise (device dead, bus stalled, poller not
 * yet run) it is {@link Sample#unavailable}, never a zero.
 */
public final class ModbusDevice implements SampleSource {
  private static final Logger log = LoggerFactory.getLogger(ModbusDevice.class);

  private final String agentId;
  private final String instrumentId;
  private final ModbusSource source;
  private final DeviceReader reader;
  private final SampleMapper mapper;
  private final MeterRegistry registry;
  private final AtomicReference<Polled> latest = new AtomicReference<>();
  private long nextPollMillis;
  private String state = "starting";

  /** A finished poll: its sample (timestamped with the poll's start) and when it finished. */
  private record Polled(Sample sample, long finishedMillis) {}

  public ModbusDevice(
      String agentId, String instrumentId, ModbusSource source, MeterRegistry registry) {
    this.agentId = agentId;
    this.instrumentId = instrumentId;
    this.source = source;
    this.reader = new DeviceReader(source.unitId(), source.profile(), source.bus().timing());
    this.mapper = new SampleMapper(source.limits());
    this.registry = registry;
  }

  public String instrumentId() {
    return instrumentId;
  }

  public ModbusSource source() {
    return source;
  }

  /** How old the newest poll may be for a sample: two periods plus the device's worst case. */
  public long maxAgeMillis() {
    var t = source.bus().timing();
    long worstPerBlock =
        t.requestTimeoutMillis() * (t.retries() + 1)
            + (t.retryBackoffMillis() << Math.max(0, t.retries()))
            + t.pauseMillis();
    return 2 * source.periodMillis() + worstPerBlock * reader.plan().size();
  }

  @Override
  public Sample sampleAt(long timestampMillis) {
    Polled p = latest.get();
    if (p == null || timestampMillis - p.finishedMillis() > maxAgeMillis()) {
      return Sample.unavailable(timestampMillis);
    }
    Sample s = p.sample();
    return new Sample(timestampMillis, s.powerW(), s.energyKwh(), s.runFlag(), s.quality());
  }

  // ---- poller thread only ----

  long nextPollMillis() {
    return nextPollMillis;
  }

  void scheduleFirst(long nowMillis) {
    nextPollMillis = nowMillis;
  }

  /** Polls once and publishes the result; then schedules the next poll on the period grid. */
  void poll(ModbusConnection connection, long startMillis, java.time.Clock clock) {
    record(
        connection == null
            ? new PollOutcome.Unavailable("disconnected", "no connection to " + source.bus().key())
            : reader.poll(connection),
        startMillis,
        clock.millis());
    long period = source.periodMillis();
    nextPollMillis = Math.max(nextPollMillis + period, (clock.millis() / period + 1) * period);
  }

  void record(PollOutcome outcome, long startMillis, long finishedMillis) {
    Sample sample;
    String newState;
    if (outcome instanceof PollOutcome.Read read) {
      SampleMapper.Mapped mapped = mapper.map(startMillis, read.reading());
      sample = mapped.sample();
      if (mapped.suspectReasons().isEmpty()) {
        newState = "good";
        count("good", null);
      } else {
        newState = "suspect: " + String.join("; ", mapped.suspectReasons());
        count("suspect", "plausibility");
      }
    } else {
      PollOutcome.Unavailable u = (PollOutcome.Unavailable) outcome;
      sample = Sample.unavailable(startMillis);
      newState = "unavailable (" + u.reason() + "): " + u.detail();
      count("unavailable", u.reason());
    }
    latest.set(new Polled(sample, finishedMillis));
    String kind = newState.split("[ :]")[0];
    if (!kind.equals(state.split("[ :]")[0])) {
      if (kind.equals("good")) {
        log.info(
            "agent {} instrument {}: Modbus device {} unit {} reads again ({})",
            agentId,
            instrumentId,
            source.bus().key(),
            source.unitId(),
            source.profile().name());
      } else {
        log.warn(
            "agent {} instrument {}: Modbus device {} unit {} is {}; samples are {} until it"
                + " recovers",
            agentId,
            instrumentId,
            source.bus().key(),
            source.unitId(),
            newState,
            kind.equals("suspect") ? "SUSPECT" : "UNAVAILABLE");
      }
    }
    state = newState;
  }

  private void count(String result, String reason) {
    Tags tags = Tags.of("agent", agentId, "instrument", instrumentId, "result", result);
    registry
        .counter("agent.modbus.polls", tags.and("reason", reason == null ? "none" : reason))
        .increment();
  }
}
