package org.labmeter.agent.serial;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.labmeter.adapters.serial.InstrumentStatus;
import org.labmeter.adapters.serial.ScpiIdentity;
import org.labmeter.adapters.serial.StatusReply;
import org.labmeter.agent.config.SerialSource;
import org.labmeter.agent.pipeline.SampleSource;
import org.labmeter.wire.Quality;
import org.labmeter.wire.RunFlag;
import org.labmeter.wire.Sample;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One instrument on a serial status line. Its port's poller thread records each reply; the agent's
 * thread reads the newest through {@link #sampleAt}, which never touches the port.
 *
 * <p>A sample carries the run flag of the newest reply when that reply is at most {@link
 * #maxAgeMillis()} old; otherwise, and after garbage, an unmatched reply, a timeout or a closed
 * port, it is {@link Sample#unavailable}, never IDLE. Power and energy are NaN: a status line does
 * not measure them.
 */
public final class SerialInstrument implements SampleSource {
  private static final Logger log = LoggerFactory.getLogger(SerialInstrument.class);

  private final String agentId;
  private final String instrumentId;
  private final SerialSource source;
  private final MeterRegistry registry;
  private final AtomicReference<Polled> latest = new AtomicReference<>();
  private final AtomicReference<ScpiIdentity> identity = new AtomicReference<>();
  private String state = "starting";

  private record Polled(RunFlag flag, long finishedMillis) {}

  public SerialInstrument(
      String agentId, String instrumentId, SerialSource source, MeterRegistry registry) {
    this.agentId = agentId;
    this.instrumentId = instrumentId;
    this.source = source;
    this.registry = registry;
  }

  public String instrumentId() {
    return instrumentId;
  }

  public SerialSource source() {
    return source;
  }

  /** How old the newest reply may be for a sample: two periods plus one full query. */
  public long maxAgeMillis() {
    return 2 * source.periodMillis()
        + source.line().readTimeoutMillis()
        + source.line().pauseMillis();
  }

  @Override
  public Sample sampleAt(long timestampMillis) {
    Polled p = latest.get();
    if (p == null || p.flag() == null || timestampMillis - p.finishedMillis() > maxAgeMillis()) {
      return Sample.unavailable(timestampMillis);
    }
    return new Sample(timestampMillis, Double.NaN, Double.NaN, p.flag(), Quality.GOOD);
  }

  /** What the instrument answered to the identity query at the last connect, if it did. */
  public Optional<ScpiIdentity> identity() {
    return Optional.ofNullable(identity.get());
  }

  // ---- poller thread only ----

  void identified(ScpiIdentity id) {
    identity.set(id);
  }

  void record(StatusReply reply, long finishedMillis) {
    if (reply instanceof StatusReply.Known known) {
      latest.set(new Polled(flag(known.status()), finishedMillis));
      count("good", "none");
      changeState("good", known.status().name(), known.detail());
    } else {
      StatusReply.Unusable u = (StatusReply.Unusable) reply;
      unavailable(u.reason(), u.detail(), finishedMillis);
    }
  }

  /**
   * No usable reply.
   *
   * @param reason a metric tag: {@code garbage}, {@code unmatched}, {@code unmapped}, {@code
   *     timeout}, {@code disconnected}
   */
  void unavailable(String reason, String detail, long finishedMillis) {
    latest.set(new Polled(null, finishedMillis));
    count("unavailable", reason);
    changeState("unavailable (" + reason + ")", "UNAVAILABLE", detail);
  }

  private void changeState(String newState, String flag, String detail) {
    String shown = newState.equals("good") ? "good " + flag : newState;
    if (!shown.equals(state)) {
      if (newState.equals("good")) {
        log.info(
            "agent {} instrument {}: {} on {} reads {} ({})",
            agentId,
            instrumentId,
            source.type(),
            source.line().port(),
            flag,
            detail);
      } else {
        log.warn(
            "agent {} instrument {}: {} on {} is {}: {}; samples are UNAVAILABLE until it"
                + " answers",
            agentId,
            instrumentId,
            source.type(),
            source.line().port(),
            newState,
            detail);
      }
      state = shown;
    }
  }

  private static RunFlag flag(InstrumentStatus status) {
    return switch (status) {
      case RUNNING -> RunFlag.RUNNING;
      case IDLE -> RunFlag.IDLE;
      case FAULT -> RunFlag.FAULT;
    };
  }

  private void count(String result, String reason) {
    registry
        .counter(
            "agent.serial.polls",
            Tags.of(
                "agent", agentId, "instrument", instrumentId, "result", result, "reason", reason))
        .increment();
  }
}
