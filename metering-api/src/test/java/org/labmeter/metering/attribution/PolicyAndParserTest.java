package org.labmeter.metering.attribution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.labmeter.metering.attribution.SessionParseResult.FieldError;
import org.labmeter.metering.attribution.SessionParseResult.Parsed;
import org.labmeter.metering.attribution.SessionParseResult.Rejected;

class PolicyAndParserTest {

  @Test
  void policyRefusesBadValuesNamingTheField() {
    assertThatThrownBy(() -> AttributionPolicy.create(b -> b.prepCap(Duration.ofMinutes(-1))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("prepCap");
    assertThatThrownBy(() -> AttributionPolicy.create(b -> b.noShowThreshold(null)))
        .hasMessageStartingWith("noShowThreshold");
    assertThatThrownBy(() -> AttributionPolicy.create(b -> b.verifiedShare(0)))
        .hasMessageStartingWith("verifiedShare");
    assertThatThrownBy(() -> AttributionPolicy.create(b -> b.verifiedShare(Double.NaN)))
        .hasMessageStartingWith("verifiedShare");
    assertThat(AttributionPolicy.DEFAULT.prepCap()).isEqualTo(Duration.ofMinutes(30));
  }

  private static Map<String, String> row() {
    Map<String, String> m = new HashMap<>();
    m.put("id", "BK-17");
    m.put("kind", "booking");
    m.put("start", "2025-03-03T08:00:00Z");
    m.put("end", "1740992400000"); // 2025-03-03T09:00:00Z as epoch millis
    m.put("user", "li");
    m.put("userEntityId", "firm-X");
    m.put("serviceWay", "委托");
    m.put("direction", "科技开发");
    m.put("purpose", "NORMAL");
    m.put("fee", "350.00");
    m.put("voucherId", "SH-2025-0042");
    m.put("voucherRedeemed", "yes");
    m.put("prep", "PT20M");
    m.put("post", "600000");
    return m;
  }

  @Test
  void parsesARowWithChineseServiceWayAndDirection() {
    SessionParseResult r = UsageSessionParser.parse(4, row());

    assertThat(r).isInstanceOf(Parsed.class);
    UsageSession s = ((Parsed) r).session();
    assertThat(s.kind()).isEqualTo(SessionKind.BOOKING);
    assertThat(s.startMillis()).isEqualTo(1_740_988_800_000L);
    assertThat(s.endMillis() - s.startMillis()).isEqualTo(3_600_000L);
    assertThat(s.serviceWay()).isEqualTo(ServiceWay.COMMISSIONED);
    assertThat(s.direction()).isEqualTo(ServiceDirection.DEVELOPMENT);
    assertThat(s.fee()).isEqualByComparingTo(new BigDecimal("350"));
    assertThat(s.voucherUsed()).isTrue();
    assertThat(s.invoiced()).isFalse();
    assertThat(s.prepMillis()).isEqualTo(1_200_000L);
    assertThat(s.postMillis()).isEqualTo(600_000L);
  }

  @Test
  void unknownEnumValuesAndBadFieldsAreAllReported() {
    Map<String, String> m = row();
    m.put("kind", "PHONE");
    m.put("purpose", "FUN");
    m.put("start", "yesterday");
    m.remove("user");

    SessionParseResult r = UsageSessionParser.parse(7, m);

    assertThat(r).isInstanceOf(Rejected.class);
    assertThat(((Rejected) r).errors())
        .extracting(FieldError::field)
        .containsExactly("kind", "start", "user", "purpose");
    FieldError kind = ((Rejected) r).errors().get(0);
    assertThat(kind.row()).isEqualTo(7);
    assertThat(kind.value()).isEqualTo("PHONE");
    assertThat(kind.message())
        .contains("row 7", "kind", "PHONE", "BOOKING, LOGIN, CARD, QR, SAMPLE_ORDER, MANUAL");
  }
}
