package org.labmeter.agent.serial;

import java.io.IOException;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.labmeter.adapters.serial.ScpiIdentity;
import org.labmeter.adapters.serial.StatusParser;
import org.labmeter.agent.config.SerialLine;
import org.labmeter.agent.config.SerialSource;
import org.labmeter.agent.pipeline.PollerThread;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Polls one instrument on one serial port on its own thread, {@code labmeter-serial-<port>}, with
 * one query outstanding at a time: it sends the status query once per period, reads the reply line
 * (at most {@code readTimeoutMillis}), then keeps the line quiet for {@code pauseMillis}. An
 * instrument without a query prints by itself; then every line it prints is read, and a silence
 * longer than {@code readTimeoutMillis} counts as a timeout. At each (re)open the identity query,
 * if any, is sent once and its answer logged. When the port cannot be opened or fails, the
 * instrument is UNAVAILABLE at once and the port is opened again after {@code reconnectMillis},
 * doubling up to a minute.
 */
public final class SerialStatusPoller {
  private static final Logger log = LoggerFactory.getLogger(SerialStatusPoller.class);
  private static final long MAX_RECONNECT_MILLIS = 60_000;

  private final String agentId;
  private final SerialInstrument instrument;
  private final SerialSource source;
  private final SerialLine line;
  private final StatusParser parser;
  private final Clock clock;
  private final PollerThread poller;
  private long reconnectDelay;

  public SerialStatusPoller(String agentId, SerialInstrument instrument, Clock clock) {
    this.agentId = agentId;
    this.instrument = instrument;
    this.source = instrument.source();
    this.line = source.line();
    this.parser = source.parser();
    this.clock = clock;
    this.reconnectDelay = line.reconnectMillis();
    this.poller = new PollerThread("labmeter-serial-" + line.port(), this::run);
  }

  public SerialInstrument instrument() {
    return instrument;
  }

  /** Starts the thread; completes at once, since the port is opened on the thread. */
  public CompletableFuture<Void> start() {
    return poller.start();
  }

  /** Stops polling and closes the port; completes when the thread has ended. Idempotent. */
  public CompletableFuture<Void> stop() {
    return poller.stop();
  }

  private void run() {
    long nextPoll = clock.millis();
    while (poller.running()) {
      SerialLineConnection connection = open();
      if (connection == null) {
        park(reconnectDelay);
        reconnectDelay = Math.min(MAX_RECONNECT_MILLIS, reconnectDelay * 2);
        continue;
      }
      reconnectDelay = line.reconnectMillis();
      try (connection) {
        identify(connection);
        while (poller.running()) {
          Optional<String> query = source.pollQuery();
          if (query.isPresent()) {
            long wait = nextPoll - clock.millis();
            if (wait > 0) {
              park(wait);
              continue;
            }
            long period = source.periodMillis();
            nextPoll = Math.max(nextPoll + period, (clock.millis() / period + 1) * period);
            connection.send(query.get());
          }
          String reply = connection.readLine(line.readTimeoutMillis(), poller::running);
          if (!poller.running()) {
            return;
          }
          if (reply == null) {
            instrument.unavailable(
                "timeout",
                query.map(q -> "no reply to " + q).orElse("no status line")
                    + " within "
                    + line.readTimeoutMillis()
                    + " ms",
                clock.millis());
          } else {
            instrument.record(parser.parse(reply), clock.millis());
          }
          if (query.isPresent()) {
            park(line.pauseMillis());
          }
        }
      } catch (IOException | RuntimeException e) {
        instrument.unavailable("disconnected", e.toString(), clock.millis());
        log.warn(
            "agent {} instrument {}: serial port {} failed ({}); opening it again in {} ms",
            agentId,
            instrument.instrumentId(),
            line.port(),
            e.toString(),
            reconnectDelay);
        park(reconnectDelay);
      }
    }
  }

  private SerialLineConnection open() {
    try {
      SerialLineConnection c = SerialLineConnection.open(line);
      log.info(
          "agent {} instrument {}: opened {} at {} baud, {}{}{}, flow control {}",
          agentId,
          instrument.instrumentId(),
          line.port(),
          line.baudRate(),
          line.dataBits(),
          line.parity().substring(0, 1).toUpperCase(java.util.Locale.ROOT),
          line.stopBits(),
          line.flowControl().configName());
      return c;
    } catch (IOException | RuntimeException e) {
      instrument.unavailable("disconnected", e.getMessage(), clock.millis());
      log.warn(
          "agent {} instrument {}: {}; samples are UNAVAILABLE, retrying in {} ms",
          agentId,
          instrument.instrumentId(),
          e.getMessage(),
          reconnectDelay);
      return null;
    }
  }

  /** Sends the identity query once and logs the answer; a bad answer is logged, not fatal. */
  private void identify(SerialLineConnection connection) throws IOException {
    Optional<String> query = source.identityQuery();
    if (query.isEmpty()) {
      return;
    }
    connection.send(query.get());
    String reply = connection.readLine(line.readTimeoutMillis(), poller::running);
    Optional<ScpiIdentity> id = reply == null ? Optional.empty() : ScpiIdentity.parse(reply);
    id.ifPresent(instrument::identified);
    if (id.isPresent()) {
      log.info(
          "agent {} instrument {}: {} on {} is {}",
          agentId,
          instrument.instrumentId(),
          source.type(),
          line.port(),
          id.get());
    } else {
      log.warn(
          "agent {} instrument {}: no usable answer to {} on {} ({}); polling status anyway",
          agentId,
          instrument.instrumentId(),
          query.get(),
          line.port(),
          reply == null
              ? "no reply within " + line.readTimeoutMillis() + " ms"
              : "'" + reply + "'");
    }
    park(line.pauseMillis());
  }

  private void park(long millis) {
    long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    long left;
    while (poller.running() && (left = end - System.nanoTime()) > 0) {
      LockSupport.parkNanos(left);
    }
  }
}
