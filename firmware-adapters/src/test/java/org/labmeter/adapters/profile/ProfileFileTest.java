package org.labmeter.adapters.profile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.labmeter.adapters.WordOrder;

class ProfileFileTest {

  @Test
  void genericProfileFromTextWithLowWordFirst() {
    DeviceProfile p =
        DeviceProfiles.parse(
            "site-meter.yaml",
            """
            name: site-meter
            registers:
              - {quantity: power_w, address: 100, addressBase: 0, functionCode: 3,
                 type: float32, wordOrder: low-first, unit: W}
              - {quantity: energy_kwh, address: 102, addressBase: 0, functionCode: 3,
                 type: uint32, wordOrder: high-first, scale: 0.01, unit: kWh}
            runFlag: {functionCode: 1, address: 5, addressBase: 1, activeHigh: false}
            """);
    assertThat(p.field(Quantity.POWER_W).orElseThrow().decoder().wordOrder())
        .isEqualTo(WordOrder.LOW_FIRST);
    // 1440.0f = 0x44B4_0000, low word first; 123456 = 0x0001_E240 -> 1234.56 kWh
    RegisterImage image =
        new RegisterImage()
            .putWords(
                ModbusTable.HOLDING_REGISTERS, 100, new int[] {0x0000, 0x44B4, 0x0001, 0xE240})
            .putBit(ModbusTable.COILS, 4, false);
    DeviceReading r = p.decode(image);
    assertThat(r.fields().get(0).reading())
        .isEqualTo(new org.labmeter.adapters.Reading.Value("power_w", 1440.0, "W"));
    assertThat(((org.labmeter.adapters.Reading.Value) r.fields().get(1).reading()).value())
        .isCloseTo(1234.56, org.assertj.core.api.Assertions.within(1e-9));
    assertThat(r.running()).contains(true); // normally closed contact: clear bit = running
    assertThat(ReadPlan.of(p, 125))
        .containsExactly(
            new ReadBlock(ModbusTable.HOLDING_REGISTERS, 100, 4),
            new ReadBlock(ModbusTable.COILS, 4, 1));
  }

  @Test
  void overlappingRegistersAreRefused() {
    assertThatThrownBy(
            () ->
                DeviceProfiles.parse(
                    "overlap.yaml",
                    """
                    name: overlap
                    registers:
                      - {quantity: power_w, address: 13, addressBase: 1, functionCode: 4, type: float32, wordOrder: high-first, unit: W}
                      - {quantity: energy_kwh, address: 14, addressBase: 1, functionCode: 4, type: float32, wordOrder: high-first, unit: kWh}
                    """))
        .isInstanceOf(ProfileFileException.class)
        .hasMessageContaining("overlap.yaml: registers[1]: energy_kwh (wire address 13, 2 words)")
        .hasMessageContaining("overlaps registers[0] power_w (wire address 12, 2 words)");
  }

  @Test
  void everyMistakeIsReportedWithFieldAndAllowedValues() {
    ProfileFileException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            ProfileFileException.class,
            () ->
                DeviceProfiles.parse(
                    "bad.yaml",
                    """
                    name: bad
                    registers:
                      - {quantity: power, address: 1, addressBase: 2, functionCode: 5, type: float16, unit: W}
                      - {quantity: energy_kwh, address: 1, addressBase: 0, functionCode: 4, type: uint32, wordOrder: middle, unit: Wh}
                    runFlag: {functionCode: 3, address: 0, addressBase: 0}
                    """));
    assertThat(e.problems())
        .containsExactlyInAnyOrder(
            "registers[0].quantity: 'power' is not a quantity; allowed: power_w, energy_kwh,"
                + " voltage_v, current_a, power_factor",
            "registers[0].addressBase: 2 is not allowed; allowed: 0, 1",
            "registers[0].functionCode: 5 is not a register read; allowed: 3 (holding), 4 (input)",
            "registers[0].type: 'float16' is not a type; allowed: int16, uint16, int32, uint32,"
                + " int64, float32, float64",
            "registers[1].wordOrder: 'middle' is not a word order; allowed: high-first, low-first",
            "registers[1].unit: 'Wh' does not fit energy_kwh; allowed: 'kWh' (use scale to"
                + " convert, e.g. 0.001 from Wh to kWh)",
            "runFlag.functionCode: 3 is not a bit read; allowed: 1 (coil), 2 (discrete input)");
  }

  @Test
  void readPlanMergesAdjacentFieldsUpToTheCap() {
    DeviceProfile p =
        DeviceProfiles.parse(
            "three.yaml",
            """
            name: three
            registers:
              - {quantity: voltage_v, address: 0, addressBase: 0, functionCode: 4, type: float32, wordOrder: high-first, unit: V}
              - {quantity: current_a, address: 2, addressBase: 0, functionCode: 4, type: float32, wordOrder: high-first, unit: A}
              - {quantity: power_w, address: 4, addressBase: 0, functionCode: 4, type: float32, wordOrder: high-first, unit: W}
              - {quantity: energy_kwh, address: 10, addressBase: 0, functionCode: 4, type: float32, wordOrder: high-first, unit: kWh}
            """);
    assertThat(ReadPlan.of(p, 125))
        .isEqualTo(
            List.of(
                new ReadBlock(ModbusTable.INPUT_REGISTERS, 0, 6),
                new ReadBlock(ModbusTable.INPUT_REGISTERS, 10, 2)));
    assertThat(ReadPlan.of(p, 4))
        .isEqualTo(
            List.of(
                new ReadBlock(ModbusTable.INPUT_REGISTERS, 0, 4),
                new ReadBlock(ModbusTable.INPUT_REGISTERS, 4, 2),
                new ReadBlock(ModbusTable.INPUT_REGISTERS, 10, 2)));
    assertThat(ReadPlan.of(DeviceProfiles.builtIn("eastron-sdm120"), 125)).hasSize(5);
  }
}
