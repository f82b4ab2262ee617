package org.labmeter.agent.serial;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.labmeter.adapters.serial.InstrumentStatus;
import org.labmeter.adapters.serial.ScpiIdentity;
import org.labmeter.agent.config.FlowControl;
import org.labmeter.agent.config.LineTerminator;
import org.labmeter.agent.config.ScpiSource;
import org.labmeter.agent.config.SerialLine;
import org.labmeter.agent.config.TextStatusSource;
import org.labmeter.wire.Quality;
import org.labmeter.wire.RunFlag;
import org.labmeter.wire.Sample;

/**
 * The serial pollers against emulated instruments on the far end of a socat pty pair: each state
 * change of the emulator shows as the run flag, and garbage, unmatched replies and silence as
 * UNAVAILABLE, counted by reason.
 */
class SerialStatusPollerTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final Map<String, InstrumentStatus> WORDS =
      Map.of(
          "RUN", InstrumentStatus.RUNNING,
          "READY", InstrumentStatus.IDLE,
          "ERR", InstrumentStatus.FAULT);

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final SerialPorts ports = new SerialPorts("agent-t", registry, Clock.systemUTC());

  private static SerialLine line(String port, long readTimeoutMillis) {
    return new SerialLine(
        port, 9600, 8, "none", 1, FlowControl.NONE, LineTerminator.LF, readTimeoutMillis, 10, 100);
  }

  @Test
  void scpiInstrumentFollowsItsOperationRegister() throws Exception {
    try (SocatPtyPair pair = SocatPtyPair.start();
        Emulator scpi =
            Emulator.start("scpi_instrument.py", pair.b().toString()).awaitOutput("ready")) {
      // Bit 4 (16) = measuring, bit 9 (512) = fault.
      SerialInstrument nmr =
          ports.add(
              "nmr",
              new ScpiSource(
                  line(pair.a().toString(), 300), ":STATus:OPERation:CONDition?", 16, 512, 100));
      long before = System.currentTimeMillis();
      assertThat(nmr.sampleAt(before)).isEqualTo(Sample.unavailable(before));
      ports.start();
      try {
        awaitFlag(nmr, RunFlag.RUNNING);
        assertThat(nmr.identity())
            .contains(new ScpiIdentity("LabMeter Test", "SCPI-1", "SN0042", "1.0.3"));
        Sample running = nmr.sampleAt(System.currentTimeMillis());
        assertThat(running.powerW()).isNaN();
        assertThat(running.energyKwh()).isNaN();
        assertThat(running.quality()).isEqualTo(Quality.GOOD);

        scpi.command("reg 0");
        awaitFlag(nmr, RunFlag.IDLE);
        scpi.command("reg 528"); // 512 + 16: fault wins
        awaitFlag(nmr, RunFlag.FAULT);
        scpi.command("garbage");
        awaitUnavailable(nmr, "garbage");
        scpi.command("silent");
        awaitUnavailable(nmr, "timeout");
        scpi.command("normal");
        scpi.command("reg 16");
        awaitFlag(nmr, RunFlag.RUNNING);
      } finally {
        ports.stop().join();
      }
    }
  }

  @Test
  void textInstrumentAnswersItsQuery() throws Exception {
    try (SocatPtyPair pair = SocatPtyPair.start();
        Emulator text =
            Emulator.start("text_status_instrument.py", pair.b().toString()).awaitOutput("ready")) {
      SerialInstrument xrd =
          ports.add(
              "xrd",
              new TextStatusSource(
                  line(pair.a().toString(), 300),
                  "STATUS?",
                  Pattern.compile("STATE=(?<state>\\w+)"),
                  "state",
                  WORDS,
                  100));
      ports.start();
      try {
        // The emulator ends its lines with CR LF; the line is configured for LF.
        awaitFlag(xrd, RunFlag.RUNNING);
        text.command("state READY");
        awaitFlag(xrd, RunFlag.IDLE);
        text.command("state ERR");
        awaitFlag(xrd, RunFlag.FAULT);
        text.command("raw HELLO");
        awaitUnavailable(xrd, "unmatched");
        text.command("state Warming");
        awaitUnavailable(xrd, "unmapped");
        text.command("garbage");
        awaitUnavailable(xrd, "garbage");
        text.command("silent");
        awaitUnavailable(xrd, "timeout");
        text.command("state RUN");
        awaitFlag(xrd, RunFlag.RUNNING);
      } finally {
        ports.stop().join();
      }
    }
  }

  @Test
  void textInstrumentThatPrintsByItself() throws Exception {
    try (SocatPtyPair pair = SocatPtyPair.start();
        Emulator text =
            Emulator.start("text_status_instrument.py", pair.b().toString(), "100")
                .awaitOutput("ready")) {
      SerialInstrument icp =
          ports.add(
              "icp",
              new TextStatusSource(
                  line(pair.a().toString(), 400),
                  null,
                  Pattern.compile("STATE=(?<state>\\w+)"),
                  "state",
                  WORDS,
                  100));
      ports.start();
      try {
        awaitFlag(icp, RunFlag.RUNNING);
        text.command("state READY");
        awaitFlag(icp, RunFlag.IDLE);
        text.command("silent");
        awaitUnavailable(icp, "timeout");
        text.command("state ERR");
        awaitFlag(icp, RunFlag.FAULT);
      } finally {
        ports.stop().join();
      }
    }
  }

  @Test
  void aMissingPortIsUnavailableAndTheStopIsQuick() {
    SerialInstrument gone =
        ports.add(
            "gone", new ScpiSource(line("/dev/labmeter-no-such-port", 300), "*STB?", 1, 0, 100));
    ports.start();
    try {
      await()
          .atMost(WAIT)
          .untilAsserted(
              () -> assertThat(count("gone", "unavailable", "disconnected")).isGreaterThan(0));
      long now = System.currentTimeMillis();
      assertThat(gone.sampleAt(now)).isEqualTo(Sample.unavailable(now));
    } finally {
      ports.stop().join();
    }
    assertThat(ports.stop()).isCompleted();
  }

  @Test
  void oneInstrumentPerPort() {
    ports.add("first", new ScpiSource(line("/dev/ttyS9", 300), "*STB?", 1, 0, 1000));
    assertThatThrownBy(
            () -> ports.add("second", new ScpiSource(line("/dev/ttyS9", 300), "*STB?", 1, 0, 1000)))
        .hasMessage(
            "instrument second: serial port /dev/ttyS9 is already used by instrument first;"
                + " one instrument per serial line");
  }

  private static void awaitFlag(SerialInstrument instrument, RunFlag flag) {
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              long now = System.currentTimeMillis();
              assertThat(instrument.sampleAt(now))
                  .isEqualTo(new Sample(now, Double.NaN, Double.NaN, flag, Quality.GOOD));
            });
  }

  private void awaitUnavailable(SerialInstrument instrument, String reason) {
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              long now = System.currentTimeMillis();
              assertThat(instrument.sampleAt(now)).isEqualTo(Sample.unavailable(now));
              assertThat(count(instrument.instrumentId(), "unavailable", reason)).isGreaterThan(0);
            });
  }

  private double count(String instrument, String result, String reason) {
    var c =
        registry
            .find("agent.serial.polls")
            .tags("instrument", instrument, "result", result, "reason", reason)
            .counter();
    return c == null ? 0 : c.count();
  }
}
