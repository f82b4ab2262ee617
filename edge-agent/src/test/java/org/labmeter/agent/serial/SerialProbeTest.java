package org.labmeter.agent.serial;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.labmeter.adapters.serial.InstrumentStatus;
import org.labmeter.adapters.serial.StatusReply;
import org.labmeter.agent.config.FlowControl;
import org.labmeter.agent.config.LineTerminator;
import org.labmeter.agent.config.ScpiSource;
import org.labmeter.agent.config.SerialLine;
import org.labmeter.agent.config.TextStatusSource;

/** {@code agent probe} for serial instruments, against the emulators on a socat pty pair. */
class SerialProbeTest {

  private static SerialLine line(String port) {
    return new SerialLine(
        port, 9600, 8, "none", 1, FlowControl.NONE, LineTerminator.LF, 500, 10, 100);
  }

  @Test
  void scpiProbeShowsIdentityRawReplyAndState() throws Exception {
    try (SocatPtyPair pair = SocatPtyPair.start();
        Emulator scpi =
            Emulator.start("scpi_instrument.py", pair.b().toString()).awaitOutput("ready")) {
      SerialProbe.Result result =
          SerialProbe.probe(
              new ScpiSource(
                  line(pair.a().toString()), ":STATus:OPERation:CONDition?", 16, 512, 1000));

      assertThat(result.usable()).isTrue();
      assertThat(result.status())
          .hasValueSatisfying(
              s ->
                  assertThat(((StatusReply.Known) s).status()).isEqualTo(InstrumentStatus.RUNNING));
      assertThat(result.lines())
          .contains(
              "send '*IDN?'",
              "  raw reply: 'LabMeter Test,SCPI-1,SN0042,1.0.3'",
              "send ':STATus:OPERation:CONDition?'",
              "  raw reply: '16'");
      assertThat(result.lines())
          .anyMatch(l -> l.startsWith("  identity: ") && l.contains("SN0042"));
      assertThat(result.lines()).anyMatch(l -> l.startsWith("  state: RUNNING"));

      scpi.command("garbage");
      SerialProbe.Result garbled =
          SerialProbe.probe(
              new ScpiSource(
                  line(pair.a().toString()), ":STATus:OPERation:CONDition?", 16, 512, 1000));
      assertThat(garbled.usable()).isFalse();
      assertThat(garbled.lines()).anyMatch(l -> l.startsWith("  state: UNAVAILABLE (garbage"));
    }
  }

  @Test
  void textProbeShowsTheLineAndTheDecodedWord() throws Exception {
    try (SocatPtyPair pair = SocatPtyPair.start();
        Emulator text =
            Emulator.start("text_status_instrument.py", pair.b().toString()).awaitOutput("ready")) {
      text.command("state READY");
      TextStatusSource source =
          new TextStatusSource(
              line(pair.a().toString()),
              "STATUS?",
              Pattern.compile("STATE=(?<state>\\w+)"),
              "state",
              Map.of("RUN", InstrumentStatus.RUNNING, "READY", InstrumentStatus.IDLE),
              1000);

      SerialProbe.Result result = SerialProbe.probe(source);

      assertThat(result.lines())
          .contains("send 'STATUS?'", "  raw reply: 'T=21.5 STATE=READY P=3'");
      assertThat(result.lines()).anyMatch(l -> l.startsWith("  state: IDLE"));
      assertThat(result.usable()).isTrue();
    }
  }
}
