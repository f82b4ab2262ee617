package org.labmeter.adapters;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RegisterDecoderTest {

  @Test
  void float32HighWordFirstAsOnAnEastronMeter() {
    // 1520.5 = 1.48486328125 * 2^10: sign 0, exponent 137 (0x89), fraction 0x3E1000 -> 0x44BE1000
    RegisterDecoder power =
        RegisterDecoder.of("power", "W", RegisterType.FLOAT32, WordOrder.HIGH_FIRST);

    assertThat(power.decode(new int[] {0x44BE, 0x1000}))
        .isEqualTo(new Reading.Value("power", 1520.5, "W"));
  }

  @Test
  void float32LowWordFirstSwapsTheWords() {
    RegisterDecoder power =
        RegisterDecoder.of("power", "W", RegisterType.FLOAT32, WordOrder.LOW_FIRST);

    assertThat(power.decode(new int[] {0x1000, 0x44BE}))
        .isEqualTo(new Reading.Value("power", 1520.5, "W"));
  }

  @Test
  void em24Int32LowWordFirstScaledByATenth() {
    RegisterDecoder power =
        new RegisterDecoder("power", "W", RegisterType.INT32, WordOrder.LOW_FIRST, 0.1, 0);

    // 1234.5 W -> raw 12345 = 0x0000_3039, low word first
    assertThat(power.decode(new int[] {0x3039, 0x0000}))
        .isEqualTo(new Reading.Value("power", 1234.5, "W"));
    // 100000.0 W -> raw 1000000 = 0x000F_4240: the high word matters
    assertThat(power.decode(new int[] {0x4240, 0x000F}))
        .isEqualTo(new Reading.Value("power", 100000.0, "W"));
    // -500.0 W (CT reversed) -> raw -5000 = 0xFFFF_EC78
    assertThat(power.decode(new int[] {0xEC78, 0xFFFF}))
        .isEqualTo(new Reading.Value("power", -500.0, "W"));
  }

  @Test
  void sixteenBitTypesDifferInSign() {
    RegisterDecoder signed = RegisterDecoder.of("x", "1", RegisterType.INT16, WordOrder.HIGH_FIRST);
    RegisterDecoder unsigned =
        RegisterDecoder.of("x", "1", RegisterType.UINT16, WordOrder.HIGH_FIRST);

    assertThat(signed.decode(new int[] {0xFFFF})).isEqualTo(new Reading.Value("x", -1, "1"));
    assertThat(signed.decode(new int[] {0x8000})).isEqualTo(new Reading.Value("x", -32768, "1"));
    assertThat(unsigned.decode(new int[] {0xFFFF})).isEqualTo(new Reading.Value("x", 65535, "1"));
  }

  @Test
  void uint32KeepsTheTopBit() {
    RegisterDecoder counter =
        RegisterDecoder.of("energy", "Wh", RegisterType.UINT32, WordOrder.HIGH_FIRST);

    assertThat(counter.decode(new int[] {0xFFFF, 0xFFFF}))
        .isEqualTo(new Reading.Value("energy", 4_294_967_295.0, "Wh"));
    assertThat(counter.decode(new int[] {0x0001, 0x0000}))
        .isEqualTo(new Reading.Value("energy", 65536, "Wh"));
  }

  @Test
  void float64InFourWords() {
    // 1520.5 as a double: exponent 1033 (0x409), fraction 0x3E1000 << 29 -> 0x4097_C200_0000_0000
    RegisterDecoder high =
        RegisterDecoder.of("energy", "kWh", RegisterType.FLOAT64, WordOrder.HIGH_FIRST);
    RegisterDecoder low =
        RegisterDecoder.of("energy", "kWh", RegisterType.FLOAT64, WordOrder.LOW_FIRST);

    assertThat(high.decode(new int[] {0x4097, 0xC200, 0x0000, 0x0000}))
        .isEqualTo(new Reading.Value("energy", 1520.5, "kWh"));
    assertThat(low.decode(new int[] {0x0000, 0x0000, 0xC200, 0x4097}))
        .isEqualTo(new Reading.Value("energy", 1520.5, "kWh"));
  }

  @Test
  void scaleThenOffset() {
    // raw 250 * 0.1 - 40 = -15.0
    RegisterDecoder temperature =
        new RegisterDecoder(
            "temperature", "degC", RegisterType.UINT16, WordOrder.HIGH_FIRST, 0.1, -40);

    assertThat(temperature.decode(new int[] {250}))
        .isEqualTo(new Reading.Value("temperature", -15.0, "degC"));
  }

  @Test
  void badWordsAreRejectedValuesNotExceptions() {
    RegisterDecoder power =
        RegisterDecoder.of("power", "W", RegisterType.FLOAT32, WordOrder.HIGH_FIRST);

    assertThat(power.decode(new int[] {0x44BE}))
        .isEqualTo(new Reading.Rejected("power: FLOAT32 needs 2 register words, got 1"));
    assertThat(power.decode(new int[] {0x44BE, 0x10000}))
        .isEqualTo(new Reading.Rejected("power: register word 1 is not 16-bit: 65536"));
    // 0x7FC00000 is a quiet NaN, 0x7F800000 is +infinity
    assertThat(power.decode(new int[] {0x7FC0, 0x0000}))
        .isEqualTo(new Reading.Rejected("power: register value is NaN"));
    assertThat(power.decode(new int[] {0x7F80, 0x0000}))
        .isEqualTo(new Reading.Rejected("power: register value is Infinity"));
  }

  @Test
  void refusesAMeaninglessScale() {
    assertThatThrownBy(
            () -> new RegisterDecoder("p", "W", RegisterType.INT16, WordOrder.HIGH_FIRST, 0, 0))
        .hasMessageContaining("scale");
  }
}
