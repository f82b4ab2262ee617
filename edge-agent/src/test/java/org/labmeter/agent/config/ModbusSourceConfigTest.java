package org.labmeter.agent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.labmeter.adapters.profile.Quantity;

class ModbusSourceConfigTest {

  @Test
  void sampleModbusConfigLoadsWithBuiltInAndSiteProfiles() {
    AgentConfig config = AgentConfigLoader.load(Path.of("config/agent-modbus.yaml"));
    ModbusSource nmr = (ModbusSource) config.instruments().get(0).source();
    assertThat(nmr.bus())
        .isEqualTo(
            new ModbusBus.Rtu(
                "/dev/ttyUSB0", 9600, "even", 8, 1, new BusTiming(500, 1, 100, 20, 60, 2000)));
    assertThat(nmr.profile().name()).isEqualTo("eastron-sdm630");
    assertThat(nmr.limits()).isEqualTo(new PlausibilityLimits(-50, 12000, 15));
    ModbusSource icp = (ModbusSource) config.instruments().get(2).source();
    assertThat(icp.bus().key()).isEqualTo("tcp:192.168.10.20:502");
    assertThat(icp.unitId()).isEqualTo(7);
    assertThat(icp.profile().field(Quantity.ENERGY_KWH).orElseThrow().decoder().scale())
        .isEqualTo(0.01);
    assertThat(config.instruments().get(3).source().type()).isEqualTo("modbus");
  }

  @Test
  void mistakesNameFieldAndAllowedValues() throws Exception {
    Path dir = java.nio.file.Files.createTempDirectory("modbus-config");
    Path file = dir.resolve("agent.yaml");
    java.nio.file.Files.writeString(
        file,
        """
        agent: {id: a1, dataDir: ./data}
        mqtt: {uri: "tcp://127.0.0.1:1883"}
        instruments:
          - id: m1
            source: {type: modbus, transport: rtu, serialPort: /dev/ttyS0, parity: mark,
                     unitId: 300, profile: sdm999, retries: 9}
        """);
    assertThatThrownBy(() -> AgentConfigLoader.load(file))
        .isInstanceOf(ConfigFileException.class)
        .hasMessageContaining(
            file + ": instruments[0].source.retries: 9 is out of range; allowed: 0..5")
        .hasMessageContaining(
            "instruments[0].source.profile: 'sdm999' is not a built-in profile; allowed:"
                + " eastron-sdm120, eastron-sdm630");
  }
}
