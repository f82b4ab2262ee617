package org.labmeter.metering.attribution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.labmeter.metering.attribution.Fixtures.DAY;
import static org.labmeter.metering.attribution.Fixtures.DAY0;
import static org.labmeter.metering.attribution.Fixtures.MINUTE;
import static org.labmeter.metering.attribution.Fixtures.UNIT;
import static org.labmeter.metering.attribution.Fixtures.at;
import static org.labmeter.metering.attribution.Fixtures.booking;
import static org.labmeter.metering.attribution.Fixtures.day;
import static org.labmeter.metering.attribution.Fixtures.minutes;
import static org.labmeter.metering.attribution.Fixtures.seg;
import static org.labmeter.metering.derive.RunState.ACTIVE;
import static org.labmeter.metering.derive.RunState.OFF;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.labmeter.metering.attribution.AttributionIssue.Code;
import org.labmeter.metering.derive.DerivationProfile;
import org.labmeter.metering.derive.ObservationSeries;
import org.labmeter.metering.derive.StateDeriver;
import org.labmeter.metering.derive.Usage;
import org.labmeter.wire.Quality;
import org.labmeter.wire.RunFlag;

/** Runs across midnight on timelines derived from samples, clipping, and bad rows as values. */
class MidnightAndWindowTest {
  private static final DerivationProfile PROFILE =
      DerivationProfile.create(
          p ->
              p.offBelowW(50)
                  .onThresholdW(1000)
                  .offThresholdW(500)
                  .maxSampleGap(Duration.ofMinutes(2)));

  /** One verified sample a minute from 22:00 to 02:00: 2000 W in [23:00, 01:00), else 100 W. */
  private static ObservationSeries overnightRun() {
    ObservationSeries.Builder b = ObservationSeries.builder();
    for (long t = at(22, 0); t <= at(26, 0); t += MINUTE) {
      double watts = t >= at(23, 0) && t < at(25, 0) ? 2000 : 100;
      b.add(t, watts, RunFlag.NONE, Quality.GOOD, true);
    }
    return b.build();
  }

  @Test
  void runAcrossMidnightAddsUpOverDailyWindows() {
    // ACTIVE [23:00, 01:00) derived from the samples. Booking 22:30-01:30, prep 30, post 30.
    // Two-day window: 120 ACTIVE + prep min(30, 30, room 30) + post min(30, 30, room 30) = 180.
    // Day 0 [00:00, 24:00): session clipped to 22:30-24:00: 60 ACTIVE + prep 30 + post 0 (ACTIVE
    //   up to the clipped end, no room) = 90. Day 1: clipped to 00:00-01:30: 60 + prep 0 (ACTIVE
    //   from the clipped start) + post 30 = 90. 90 + 90 = 180.
    ObservationSeries series = overnightRun();
    UsageSession night =
        booking(
            "n", at(22, 30), at(25, 30), b -> b.prepMillis(minutes(30)).postMillis(minutes(30)));
    AttributionPolicy policy = AttributionPolicy.DEFAULT;

    Usage both = StateDeriver.derive(PROFILE, series, DAY0, DAY0 + 2 * DAY);
    Usage day0 = StateDeriver.derive(PROFILE, series, DAY0, DAY0 + DAY);
    Usage day1 = StateDeriver.derive(PROFILE, series, DAY0 + DAY, DAY0 + 2 * DAY);
    AttributionResult whole = AttributionEngine.attribute(both, UNIT, List.of(night), policy);
    AttributionResult first = AttributionEngine.attribute(day0, UNIT, List.of(night), policy);
    AttributionResult second = AttributionEngine.attribute(day1, UNIT, List.of(night), policy);

    assertThat(whole.session("n").attributedActive().millis()).isEqualTo(minutes(120));
    assertThat(whole.effective().millis()).isEqualTo(minutes(180));
    assertThat(whole.session("n").grade()).isEqualTo(Grade.B);
    assertThat(first.effective().millis()).isEqualTo(minutes(90));
    assertThat(first.session("n").prepCredit().millis()).isEqualTo(minutes(30));
    assertThat(first.session("n").clipped()).isTrue();
    assertThat(first.issues())
        .extracting(AttributionIssue::code, AttributionIssue::field)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(Code.CLIPPED_TO_WINDOW, "end"));
    assertThat(second.effective().millis()).isEqualTo(minutes(90));
    assertThat(second.session("n").postCredit().millis()).isEqualTo(minutes(30));
    assertThat(second.session("n").startMillis()).isEqualTo(DAY0 + DAY);
    // A session cut by the window's end is not judged for overrun in that window.
    assertThat(first.overruns()).isEmpty();
    assertThat(first.attributedActive().millis() + second.attributedActive().millis())
        .isEqualTo(whole.attributedActive().millis());
  }

  @Test
  void badRowsAreReportedAndTheRestIsAttributed() {
    // Row 0 ends before it starts: dropped, so its ACTIVE 09:00-10:00 is unbooked.
    // Row 1 lies wholly before the window: dropped. Row 2 starts the previous evening: clipped to
    // 00:00-01:00 and kept; ACTIVE 00:00-00:30 is attributed to it.
    AttributionResult r =
        day(
            List.of(
                seg(DAY0, at(0, 30), ACTIVE),
                seg(at(0, 30), at(9, 0), OFF),
                seg(at(9, 0), at(10, 0), ACTIVE),
                seg(at(10, 0), DAY0 + DAY, OFF)),
            booking("bad", at(10, 0), at(9, 0), b -> {}),
            booking("old", at(-5, 0), at(-4, 0), b -> {}),
            booking("eve", at(-1, 0), at(1, 0), b -> {}));

    assertThat(r.issues())
        .extracting(AttributionIssue::row, AttributionIssue::field, AttributionIssue::code)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(0, "end", Code.END_BEFORE_START),
            org.assertj.core.groups.Tuple.tuple(1, "end", Code.OUTSIDE_WINDOW),
            org.assertj.core.groups.Tuple.tuple(2, "start", Code.CLIPPED_TO_WINDOW));
    assertThat(r.issues().get(0).message()).contains("row 0", "bad", "end");
    assertThat(r.issues())
        .allSatisfy(i -> assertThat(i.code().dropsSession()).isEqualTo(i.row() < 2));
    assertThat(r.sessions()).extracting(SessionAttribution::sessionId).containsExactly("eve");
    assertThat(r.session("eve").startMillis()).isEqualTo(DAY0);
    assertThat(r.session("eve").attributedActive().millis()).isEqualTo(minutes(30));
    assertThat(r.unbooked()).containsExactly(new UnbookedUse(at(9, 0), at(10, 0), minutes(60)));
  }

  @Test
  void timeTheTimelineDoesNotCoverIsUnknown() {
    // The timeline covers only 08:00-09:00 (ACTIVE); a session 07:00-09:00 sees 60 min UNKNOWN.
    AttributionResult r =
        day(List.of(seg(at(8, 0), at(9, 0), ACTIVE)), booking("s", at(7, 0), at(9, 0), b -> {}));

    assertThat(r.session("s").inSession().unknownMillis()).isEqualTo(minutes(60));
    assertThat(r.session("s").attributedActive().millis()).isEqualTo(minutes(60));
    assertThat(r.inSessions().unknownMillis()).isEqualTo(minutes(60));
  }

  @Test
  void refusesABackwardWindowAndAnUnorderedTimeline() {
    assertThatThrownBy(
            () ->
                AttributionEngine.attribute(
                    List.of(), DAY0 + 1, DAY0, UNIT, List.of(), AttributionPolicy.DEFAULT))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("toMillis");
    assertThatThrownBy(
            () -> day(List.of(seg(at(9, 0), at(10, 0), ACTIVE), seg(at(8, 0), at(9, 30), OFF))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("segment 1");
  }
}
