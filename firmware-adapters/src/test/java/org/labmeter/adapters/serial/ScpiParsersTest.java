package org.labmeter.adapters.serial;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ScpiParsersTest {
  // :STATus:OPERation:CONDition? bit 4 (16) = MEASuring, bit 9 (512) = a maker's fault bit.
  private final ScpiStatusParser operation = new ScpiStatusParser(16, 512);

  @Test
  void identityHasFourFields() {
    assertThat(ScpiIdentity.parse("KEITHLEY INSTRUMENTS INC.,MODEL 2000,1234567,A19 /A02 \r"))
        .contains(
            new ScpiIdentity("KEITHLEY INSTRUMENTS INC.", "MODEL 2000", "1234567", "A19 /A02"));
    // Serial and firmware may be 0 when the maker does not tell.
    assertThat(ScpiIdentity.parse("Acme,X1,0,0"))
        .contains(new ScpiIdentity("Acme", "X1", "0", "0"));
    assertThat(ScpiIdentity.parse("Acme,X1,0,0").orElseThrow().toString())
        .isEqualTo("Acme X1 serial 0 firmware 0");
  }

  @Test
  void identityRefusesAnythingElse() {
    assertThat(ScpiIdentity.parse("Acme,X1,42")).isEmpty();
    assertThat(ScpiIdentity.parse("Acme,X1,42,1.0,extra")).isEmpty();
    assertThat(ScpiIdentity.parse(",X1,42,1.0")).isEmpty();
    assertThat(ScpiIdentity.parse("Ac\u0000me,X1,42,1.0")).isEmpty();
    assertThat(ScpiIdentity.parse("")).isEmpty();
  }

  @Test
  void runningBitMeansRunning() {
    // 16 = 0b1_0000: bit 4 only.
    assertThat(operation.parse("16"))
        .isEqualTo(new StatusReply.Known(InstrumentStatus.RUNNING, "register 16 (0x10)"));
    // 48 = 32 + 16: another bit beside the running one still runs. NR1 may carry a plus sign.
    assertThat(operation.parse("+48\r"))
        .isEqualTo(new StatusReply.Known(InstrumentStatus.RUNNING, "register 48 (0x30)"));
  }

  @Test
  void faultBitWinsOverRunning() {
    // 528 = 512 + 16: fault and running together read FAULT.
    assertThat(operation.parse("528"))
        .isEqualTo(new StatusReply.Known(InstrumentStatus.FAULT, "register 528 (0x210)"));
    assertThat(operation.parse("512"))
        .isEqualTo(new StatusReply.Known(InstrumentStatus.FAULT, "register 512 (0x200)"));
  }

  @Test
  void neitherBitIsIdle() {
    assertThat(operation.parse("0"))
        .isEqualTo(new StatusReply.Known(InstrumentStatus.IDLE, "register 0 (0x0)"));
    // 32 = bit 5 only, not in either mask.
    assertThat(operation.parse(" 32 "))
        .isEqualTo(new StatusReply.Known(InstrumentStatus.IDLE, "register 32 (0x20)"));
  }

  @Test
  void anythingButAnIntegerIsGarbage() {
    assertThat(operation.parse("1.6E+01")).isInstanceOf(StatusReply.Unusable.class);
    assertThat(operation.parse("")).isInstanceOf(StatusReply.Unusable.class);
    assertThat(operation.parse("-16"))
        .isEqualTo(new StatusReply.Unusable("garbage", "register value -16 outside 0..2147483647"));
    assertThat(operation.parse("9999999999"))
        .isEqualTo(
            new StatusReply.Unusable("garbage", "register value 9999999999 outside 0..2147483647"));
    assertThat(operation.parse("1\u00FF6"))
        .isEqualTo(new StatusReply.Unusable("garbage", "expected a register value, got '1\\xFF6'"));
  }

  @Test
  void masksAreChecked() {
    assertThatThrownBy(() -> new ScpiStatusParser(0, 4)).hasMessageStartingWith("runningMask:");
    assertThatThrownBy(() -> new ScpiStatusParser(16, -1)).hasMessageStartingWith("faultMask:");
    assertThatThrownBy(() -> new ScpiStatusParser(48, 16))
        .hasMessage("runningMask and faultMask share bits 0x10; a bit cannot mean both");
  }
}
