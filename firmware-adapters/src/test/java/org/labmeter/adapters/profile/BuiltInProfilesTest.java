package org.labmeter.adapters.profile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.labmeter.adapters.Reading;

/** Each built-in profile against register words written out by hand from the meter manuals. */
class BuiltInProfilesTest {

  @Test
  void everyBuiltInProfileLoads() {
    for (String name : DeviceProfiles.BUILT_IN) {
      assertThat(DeviceProfiles.builtIn(name).name()).isEqualTo(name);
    }
    assertThatThrownBy(() -> DeviceProfiles.builtIn("sdm999"))
        .hasMessageContaining("allowed: eastron-sdm120");
  }

  @Test
  void sdm120DecodesFloat32HighWordFirstFromOneBasedInputRegisters() {
    DeviceProfile p = DeviceProfiles.builtIn("eastron-sdm120");
    assertThat(p.field(Quantity.POWER_W).orElseThrow().wireAddress()).isEqualTo(12); // 30013
    assertThat(p.field(Quantity.ENERGY_KWH).orElseThrow().wireAddress()).isEqualTo(342); // 30343
    RegisterImage image =
        new RegisterImage()
            .putWords(ModbusTable.INPUT_REGISTERS, 0, new int[] {0x4366, 0x8000}) // 230.5 V
            .putWords(ModbusTable.INPUT_REGISTERS, 6, new int[] {0x40C8, 0x0000}) // 6.25 A
            .putWords(ModbusTable.INPUT_REGISTERS, 12, new int[] {0x44B4, 0x0000}) // 1440 W
            .putWords(ModbusTable.INPUT_REGISTERS, 30, new int[] {0x3F73, 0x3333}) // 0.95
            .putWords(ModbusTable.INPUT_REGISTERS, 342, new int[] {0x449A, 0x5000}); // 1234.5
    DeviceReading r = p.decode(image);
    assertThat(value(r, Quantity.VOLTAGE_V)).isEqualTo(230.5);
    assertThat(value(r, Quantity.CURRENT_A)).isEqualTo(6.25);
    assertThat(value(r, Quantity.POWER_W)).isEqualTo(1440.0);
    assertThat(value(r, Quantity.POWER_FACTOR)).isCloseTo(0.95, within(1e-6));
    assertThat(value(r, Quantity.ENERGY_KWH)).isEqualTo(1234.5);
    assertThat(r.fields().get(2).rawHex()).isEqualTo("0x44B4 0x0000");
    assertThat(r.running()).isEmpty();
  }

  @Test
  void sdm630ClassicReadsPowerAndEnergy() {
    DeviceProfile classic = DeviceProfiles.builtIn("eastron-sdm630");
    assertThat(classic.field(Quantity.POWER_W).orElseThrow().wireAddress()).isEqualTo(52);
    assertThat(classic.field(Quantity.ENERGY_KWH).orElseThrow().wireAddress()).isEqualTo(72);
    RegisterImage image =
        new RegisterImage()
            .putWords(ModbusTable.INPUT_REGISTERS, 52, new int[] {0x44B4, 0x0000}) // 1440 W
            .putWords(ModbusTable.INPUT_REGISTERS, 72, new int[] {0x449A, 0x5000}); // 1234.5
    DeviceReading r = classic.decode(image);
    assertThat(value(r, Quantity.POWER_W)).isEqualTo(1440.0);
    assertThat(value(r, Quantity.ENERGY_KWH)).isEqualTo(1234.5);
    // Voltage was not read: a device fault for that field only.
    assertThat(r.reading(Quantity.VOLTAGE_V).orElseThrow()).isInstanceOf(Reading.DeviceFault.class);
  }

  @Test
  void sdm630MctReadsTotalPowerAt30053AndImportEnergyAt30073() {
    DeviceProfile mct = DeviceProfiles.builtIn("eastron-sdm630-mct");
    // SDM630MCT protocol V1.7: 30053 total system power -> wire 52; 30073 import kWh -> wire 72
    assertThat(mct.field(Quantity.POWER_W).orElseThrow().wireAddress()).isEqualTo(52);
    assertThat(mct.field(Quantity.ENERGY_KWH).orElseThrow().wireAddress()).isEqualTo(72);
    assertThat(mct.field(Quantity.ENERGY_KWH).orElseThrow().table())
        .isEqualTo(ModbusTable.INPUT_REGISTERS);
    RegisterImage image =
        new RegisterImage()
            .putWords(ModbusTable.INPUT_REGISTERS, 0, new int[] {0x4366, 0x8000}) // 230.5 V
            .putWords(ModbusTable.INPUT_REGISTERS, 6, new int[] {0x40C8, 0x0000}) // 6.25 A
            // 30027 is phase 2 var on this meter: a resistive load reads 0 there
            .putWords(ModbusTable.INPUT_REGISTERS, 26, new int[] {0x0000, 0x0000})
            // 2875.5 W = 0x4533_B800: sign 0, exponent 0x8A (2^11), mantissa 1.404052734375
            .putWords(ModbusTable.INPUT_REGISTERS, 52, new int[] {0x4533, 0xB800})
            // 8421.25 kWh = 0x4603_9500: exponent 0x8C (2^13), mantissa 1.0279846191...
            .putWords(ModbusTable.INPUT_REGISTERS, 72, new int[] {0x4603, 0x9500});
    DeviceReading r = mct.decode(image);
    assertThat(value(r, Quantity.VOLTAGE_V)).isEqualTo(230.5);
    assertThat(value(r, Quantity.CURRENT_A)).isEqualTo(6.25);
    assertThat(value(r, Quantity.POWER_W)).isEqualTo(2875.5);
    assertThat(value(r, Quantity.ENERGY_KWH)).isEqualTo(8421.25);
  }

  @Test
  void em24DecodesInt32LowWordFirstWithItsWeights() {
    DeviceProfile p = DeviceProfiles.builtIn("carlo-gavazzi-em24");
    RegisterImage image =
        new RegisterImage()
            .putWords(ModbusTable.HOLDING_REGISTERS, 0x00, new int[] {0x0901, 0x0000}) // 2305
            .putWords(ModbusTable.HOLDING_REGISTERS, 0x0C, new int[] {0x186A, 0x0000}) // 6250
            .putWords(ModbusTable.HOLDING_REGISTERS, 0x28, new int[] {0x3840, 0x0000}) // 14400
            // 123456 = 0x0001_E240, low word first
            .putWords(ModbusTable.HOLDING_REGISTERS, 0x34, new int[] {0xE240, 0x0001});
    DeviceReading r = p.decode(image);
    assertThat(value(r, Quantity.VOLTAGE_V)).isCloseTo(230.5, within(1e-9));
    assertThat(value(r, Quantity.CURRENT_A)).isCloseTo(6.25, within(1e-9));
    assertThat(value(r, Quantity.POWER_W)).isCloseTo(1440.0, within(1e-9));
    assertThat(value(r, Quantity.ENERGY_KWH)).isCloseTo(12345.6, within(1e-9));
  }

  @Test
  void iem3000ReadsOneBasedNumbersOneLowerOnTheWire() {
    DeviceProfile p = DeviceProfiles.builtIn("schneider-iem3000");
    assertThat(p.field(Quantity.POWER_W).orElseThrow().wireAddress()).isEqualTo(3059);
    assertThat(p.field(Quantity.ENERGY_KWH).orElseThrow().wireAddress()).isEqualTo(3203);
    RegisterImage image =
        new RegisterImage()
            .putWords(ModbusTable.HOLDING_REGISTERS, 2999, new int[] {0x4060, 0x0000}) // 3.5 A
            .putWords(ModbusTable.HOLDING_REGISTERS, 3027, new int[] {0x4367, 0x0000}) // 231 V
            .putWords(ModbusTable.HOLDING_REGISTERS, 3059, new int[] {0x4020, 0x0000}) // 2.5 kW
            // 123456789 Wh = 0x0000_0000_075B_CD15
            .putWords(
                ModbusTable.HOLDING_REGISTERS, 3203, new int[] {0x0000, 0x0000, 0x075B, 0xCD15});
    DeviceReading r = p.decode(image);
    assertThat(value(r, Quantity.CURRENT_A)).isEqualTo(3.5);
    assertThat(value(r, Quantity.VOLTAGE_V)).isEqualTo(231.0);
    assertThat(value(r, Quantity.POWER_W)).isEqualTo(2500.0);
    assertThat(value(r, Quantity.ENERGY_KWH)).isCloseTo(123456.789, within(1e-9));
  }

  @Test
  void digitalInputIsARunFlag() {
    DeviceProfile p = DeviceProfiles.builtIn("digital-input");
    assertThat(p.registers()).isEmpty();
    assertThat(p.decode(new RegisterImage().putBit(ModbusTable.DISCRETE_INPUTS, 0, true)).running())
        .contains(true);
    assertThat(
            p.decode(new RegisterImage().putBit(ModbusTable.DISCRETE_INPUTS, 0, false)).running())
        .contains(false);
    assertThat(p.decode(new RegisterImage()).running()).isEmpty();
    assertThat(ReadPlan.of(p, 125))
        .containsExactly(new ReadBlock(ModbusTable.DISCRETE_INPUTS, 0, 1));
  }

  private static double value(DeviceReading r, Quantity q) {
    Reading reading = r.reading(q).orElseThrow();
    assertThat(reading).isInstanceOf(Reading.Value.class);
    return ((Reading.Value) reading).value();
  }
}
