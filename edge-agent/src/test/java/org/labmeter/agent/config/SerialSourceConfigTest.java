package org.labmeter.agent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.labmeter.adapters.serial.InstrumentStatus;
import org.labmeter.adapters.serial.StatusReply;

class SerialSourceConfigTest {

  @Test
  void sampleConfigLoads() {
    AgentConfig config = AgentConfigLoader.load(Path.of("config/agent-serial.yaml"));
    ScpiSource icp = (ScpiSource) config.instruments().get(0).source();
    assertThat(icp.line())
        .isEqualTo(
            new SerialLine(
                "/dev/ttyUSB1",
                9600,
                8,
                "none",
                2,
                FlowControl.DTR_DSR,
                LineTerminator.LF,
                500,
                50,
                2000));
    assertThat(icp.statusQuery()).isEqualTo(":STATus:OPERation:CONDition?");
    assertThat(icp.runningMask()).isEqualTo(16);
    assertThat(icp.faultMask()).isEqualTo(512);
    assertThat(icp.pollQuery()).contains(":STATus:OPERation:CONDition?");
    assertThat(icp.identityQuery()).contains("*IDN?");

    TextStatusSource gc = (TextStatusSource) config.instruments().get(1).source();
    assertThat(gc.line().terminator()).isEqualTo(LineTerminator.CRLF);
    assertThat(gc.pollQuery()).contains("STATUS?");
    assertThat(gc.values())
        .isEqualTo(
            Map.of(
                "RUN", InstrumentStatus.RUNNING,
                "READY", InstrumentStatus.IDLE,
                "STANDBY", InstrumentStatus.IDLE,
                "ERR", InstrumentStatus.FAULT));
    assertThat(gc.parser().parse("T=3 STATE=STANDBY"))
        .isEqualTo(new StatusReply.Known(InstrumentStatus.IDLE, "state=STANDBY"));

    TextStatusSource furnace = (TextStatusSource) config.instruments().get(2).source();
    assertThat(furnace.pollQuery()).isEmpty();
    assertThat(furnace.line().readTimeoutMillis()).isEqualTo(15000);
    assertThat(furnace.line().parity()).isEqualTo("none");
    assertThat(furnace.parser().parse("#S,9"))
        .isEqualTo(new StatusReply.Known(InstrumentStatus.FAULT, "code=9"));
  }

  @Test
  void everyMistakeIsNamed(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("agent.yaml");
    Files.writeString(
        file,
        """
        agent: {id: a1, dataDir: ./data}
        mqtt: {uri: "tcp://127.0.0.1:1883"}
        instruments:
          - id: s1
            source: {type: scpi, port: /dev/ttyS0, flowControl: cts, runningMask: 0x10, faultMask: 0x10, statusQuery: "*STB?"}
          - id: s2
            source: {type: scpi, port: /dev/ttyS1, terminator: nul, runningMask: zz}
          - id: t1
            source: {type: text-status, port: /dev/ttyS2, pattern: "STATE=(\\\\w+", group: state, values: {RUN: going}}
          - id: t2
            source: {type: text-status, port: /dev/ttyS3, pattern: "STATE=(?<s>\\\\w+)", group: state, values: {RUN: running}, runningMask: 1}
          - id: x
            source: {type: opc-ua}
        """);
    assertThatThrownBy(() -> AgentConfigLoader.load(file))
        .isInstanceOf(ConfigFileException.class)
        .satisfies(
            e ->
                assertThat(((ConfigFileException) e).problems())
                    .containsExactly(
                        "instruments[0].source.flowControl: 'cts' is not allowed; allowed: none,"
                            + " rts-cts, dtr-dsr, xon-xoff",
                        "instruments[1].source.terminator: 'nul' is not allowed; allowed: lf, cr,"
                            + " crlf",
                        "instruments[1].source.statusQuery: missing; required, e.g."
                            + " :STATus:OPERation:CONDition? (or *STB?)",
                        "instruments[1].source.runningMask: 'zz' is not a bit mask; allowed: e.g. 16"
                            + " or 0x10",
                        "instruments[2].source.pattern: not a regular expression (Unclosed group at"
                            + " index 10); allowed: java.util.regex syntax with a named group",
                        "instruments[2].source.values.RUN: 'going' is not a status; allowed:"
                            + " running, idle, fault",
                        "instruments[3].source.runningMask: unknown field; allowed: type, port,"
                            + " baud, dataBits, parity, stopBits, flowControl, terminator,"
                            + " readTimeoutMillis, pauseMillis, reconnectMillis, periodMillis, query,"
                            + " pattern, group, values",
                        "instruments[3].source.group: 'state' is not a named group of the pattern"
                            + " STATE=(?<s>\\w+)",
                        "instruments[4].source.type: 'opc-ua' is not supported here; allowed:"
                            + " simulated, modbus, scpi, text-status"));
  }
}
