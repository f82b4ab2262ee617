package org.labmeter.adapters.serial;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class TextStatusParserTest {
  private final TextStatusParser parser =
      new TextStatusParser(
          Pattern.compile("STATE=(?<state>\\w+)"),
          "state",
          Map.of(
              "RUN", InstrumentStatus.RUNNING,
              "READY", InstrumentStatus.IDLE,
              "ERR", InstrumentStatus.FAULT));

  @Test
  void mapsTheMatchedWord() {
    assertThat(parser.parse("T=21.5 STATE=RUN P=3"))
        .isEqualTo(new StatusReply.Known(InstrumentStatus.RUNNING, "state=RUN"));
    assertThat(parser.parse("STATE=READY"))
        .isEqualTo(new StatusReply.Known(InstrumentStatus.IDLE, "state=READY"));
    assertThat(parser.parse("STATE=ERR\t"))
        .isEqualTo(new StatusReply.Known(InstrumentStatus.FAULT, "state=ERR"));
  }

  @Test
  void unknownWordIsUnmappedNotIdle() {
    assertThat(parser.parse("STATE=run"))
        .isEqualTo(
            new StatusReply.Unusable(
                "unmapped", "status 'run' is not mapped; mapped: ERR, READY, RUN"));
  }

  @Test
  void otherTextIsUnmatched() {
    assertThat(parser.parse("HELLO"))
        .isEqualTo(
            new StatusReply.Unusable("unmatched", "'HELLO' does not match STATE=(?<state>\\w+)"));
  }

  @Test
  void controlBytesAreGarbage() {
    assertThat(parser.parse("STA\u0007TE=RUN\u00FE"))
        .isEqualTo(new StatusReply.Unusable("garbage", "unprintable reply 'STA\\x07TE=RUN\\xFE'"));
  }

  @Test
  void anOptionalGroupThatDidNotTakePartIsUnmatched() {
    TextStatusParser optional =
        new TextStatusParser(
            Pattern.compile("^#S(,(?<code>\\d))?$"), "code", Map.of("2", InstrumentStatus.RUNNING));
    assertThat(optional.parse("#S,2"))
        .isEqualTo(new StatusReply.Known(InstrumentStatus.RUNNING, "code=2"));
    assertThat(optional.parse("#S")).isInstanceOf(StatusReply.Unusable.class);
    assertThat(((StatusReply.Unusable) optional.parse("#S")).reason()).isEqualTo("unmatched");
  }

  @Test
  void refusesAPatternWithoutTheGroupAndAnEmptyMapping() {
    assertThatThrownBy(
            () ->
                new TextStatusParser(
                    Pattern.compile("STATE=(\\w+)"),
                    "state",
                    Map.of("RUN", InstrumentStatus.RUNNING)))
        .hasMessage("pattern: has no group named 'state'; allowed: a pattern with (?<state>...)");
    assertThatThrownBy(() -> new TextStatusParser(Pattern.compile("(?<s>.*)"), "s", Map.of()))
        .hasMessage("values: at least one status word is required");
  }
}
