package org.labmeter.metering.attribution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.labmeter.metering.attribution.Fixtures.DAY;
import static org.labmeter.metering.attribution.Fixtures.DAY0;
import static org.labmeter.metering.attribution.Fixtures.FIRM;
import static org.labmeter.metering.attribution.Fixtures.UNIT;
import static org.labmeter.metering.attribution.Fixtures.at;
import static org.labmeter.metering.attribution.Fixtures.booking;
import static org.labmeter.metering.attribution.Fixtures.day;
import static org.labmeter.metering.attribution.Fixtures.minutes;
import static org.labmeter.metering.attribution.Fixtures.seg;
import static org.labmeter.metering.derive.RunState.ACTIVE;
import static org.labmeter.metering.derive.RunState.OFF;
import static org.labmeter.metering.derive.RunState.STANDBY;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.labmeter.metering.derive.StateDurations;

/** One scenario per rule, default policy (caps 30 min, tolerance 15 min, no-show 5 min, 0.95). */
class AttributionScenarioTest {

  @Test
  void bookingAroundPowerOnAndOffCountsActivePlusCappedPrepAndPost() {
    // OFF 00:00-08:30, STANDBY 08:30-09:00, ACTIVE 09:00-11:00, STANDBY 11:00-11:30, OFF to 24:00.
    // Booking 08:00-12:00, internal user, declares 40 min prep and 10 min post.
    // ACTIVE in session: 120 min. Prep: min(40 declared, 30 cap, 60 room 08:00-09:00) = 30.
    // Post: min(10, 30, 60 room 11:00-12:00) = 10. Effective 120 + 30 + 10 = 160 min.
    AttributionResult r =
        day(
            List.of(
                seg(DAY0, at(8, 30), OFF),
                seg(at(8, 30), at(9, 0), STANDBY),
                seg(at(9, 0), at(11, 0), ACTIVE),
                seg(at(11, 0), at(11, 30), STANDBY),
                seg(at(11, 30), DAY0 + DAY, OFF)),
            booking(
                "b1", at(8, 0), at(12, 0), b -> b.prepMillis(minutes(40)).postMillis(minutes(10))));

    SessionAttribution s = r.session("b1");
    assertThat(s.attributedActive().millis()).isEqualTo(minutes(120));
    assertThat(s.prepCredit().millis()).isEqualTo(minutes(30));
    assertThat(s.postCredit().millis()).isEqualTo(minutes(10));
    assertThat(s.effective().millis()).isEqualTo(minutes(160));
    assertThat(s.effective().hours()).isEqualTo(160 / 60.0);
    assertThat(s.external()).isEqualTo(Hours.ZERO);
    assertThat(s.grade()).isEqualTo(Grade.B);
    // OFF 08:00-08:30 and 11:30-12:00; STANDBY 08:30-09:00 and 11:00-11:30.
    assertThat(s.inSession())
        .isEqualTo(new StateDurations(minutes(60), minutes(60), minutes(120), 0, 0));
    assertThat(s.noShow()).isFalse();
    assertThat(r.unbooked()).isEmpty();
    assertThat(r.overruns()).isEmpty();
    assertThat(r.effective().millis()).isEqualTo(minutes(160));
    assertThat(r.verifiedEffective().millis()).isEqualTo(minutes(160));
    assertThat(r.issues()).isEmpty();
  }

  @Test
  void externalUserOnRedeemedVoucherIsGradeA() {
    // ACTIVE 14:00-15:30 (90 min, all verified). Booking 13:45-15:45 by firm-X, voucher redeemed,
    // prep 15 and post 15 declared, room 15 each: effective = 90 + 15 + 15 = 120 min, all external
    // and all voucher hours; sharing rate 120 / 120 = 1.
    AttributionResult r =
        day(
            List.of(
                seg(DAY0, at(14, 0), STANDBY),
                seg(at(14, 0), at(15, 30), ACTIVE),
                seg(at(15, 30), DAY0 + DAY, STANDBY)),
            booking(
                "v1",
                at(13, 45),
                at(15, 45),
                b ->
                    b.user("li", FIRM)
                        .voucher("SH-2025-0042", true)
                        .prepMillis(minutes(15))
                        .postMillis(minutes(15))));

    SessionAttribution s = r.session("v1");
    assertThat(s.effective().millis()).isEqualTo(minutes(120));
    assertThat(s.external().millis()).isEqualTo(minutes(120));
    assertThat(s.voucher().millis()).isEqualTo(minutes(120));
    assertThat(s.grade()).isEqualTo(Grade.A);
    assertThat(r.voucher().millis()).isEqualTo(minutes(120));
    assertThat(r.sharingRate()).isEqualTo(1.0);
  }

  @Test
  void unredeemedVoucherIsNotVoucherTimeAndPoorCoverageIsGradeC() {
    // Two external sessions, 60 min ACTIVE each, no prep or post.
    // u1: voucher not redeemed, not invoiced, telemetry fully verified: external 60, voucher 0, B.
    // u2: invoiced, but only 54 of 60 ACTIVE min verified: 0.9 < 0.95, so C (declared).
    AttributionResult r =
        day(
            List.of(
                seg(DAY0, at(9, 0), OFF),
                seg(at(9, 0), at(10, 0), ACTIVE),
                seg(at(10, 0), at(11, 0), STANDBY),
                seg(at(11, 0), at(12, 0), ACTIVE, minutes(54)),
                seg(at(12, 0), DAY0 + DAY, OFF)),
            booking("u1", at(9, 0), at(10, 0), b -> b.user("li", FIRM).voucher("V-7", false)),
            booking("u2", at(11, 0), at(12, 0), b -> b.user("li", FIRM).invoiced(true)));

    assertThat(r.session("u1").voucher()).isEqualTo(Hours.ZERO);
    assertThat(r.session("u1").grade()).isEqualTo(Grade.B);
    assertThat(r.session("u2").verifiedActiveMillis()).isEqualTo(minutes(54));
    assertThat(r.session("u2").verifiedTelemetry()).isFalse();
    assertThat(r.session("u2").grade()).isEqualTo(Grade.C);
    assertThat(r.verifiedEffective().millis()).isEqualTo(minutes(60));
    assertThat(r.declaredEffective().millis()).isEqualTo(minutes(60));
    assertThat(r.external().millis()).isEqualTo(minutes(120));
  }

  @Test
  void excludedCategoryIsEffectiveButNotExternal() {
    // External firm, commercial goods inspection, ACTIVE 10:00-11:00 inside booking 10:00-11:00:
    // effective 60 min, external 0 (Shanghai excludes it), sharing rate 0 / 60 = 0.
    AttributionResult r =
        day(
            List.of(
                seg(DAY0, at(10, 0), OFF),
                seg(at(10, 0), at(11, 0), ACTIVE),
                seg(at(11, 0), DAY0 + DAY, OFF)),
            booking(
                "x1",
                at(10, 0),
                at(11, 0),
                b -> b.user("wang", FIRM).purpose(PurposeCategory.COMMERCIAL_GOODS_INSPECTION)));

    assertThat(r.session("x1").effective().millis()).isEqualTo(minutes(60));
    assertThat(r.session("x1").external()).isEqualTo(Hours.ZERO);
    assertThat(r.sharingRate()).isZero();
  }

  @Test
  void noShowWhenTheInstrumentBarelyRan() {
    // n1 10:00-12:00: STANDBY throughout, 0 ACTIVE -> no-show, grade C, no prep credit.
    // n2 14:00-15:00: 3 min ACTIVE (14:10-14:13) < 5 min threshold -> no-show, yet the 3 min are
    //   still attributed (effective 3 min: prep room 10, post room 47, neither declared).
    AttributionResult r =
        day(
            List.of(
                seg(DAY0, at(14, 10), STANDBY),
                seg(at(14, 10), at(14, 13), ACTIVE),
                seg(at(14, 13), DAY0 + DAY, STANDBY)),
            booking("n1", at(10, 0), at(12, 0), b -> b.prepMillis(minutes(20))),
            booking("n2", at(14, 0), at(15, 0), b -> {}));

    assertThat(r.noShows())
        .containsExactly(new NoShow(0, "n1", 0), new NoShow(1, "n2", minutes(3)));
    assertThat(r.session("n1").effective()).isEqualTo(Hours.ZERO);
    assertThat(r.session("n1").prepCredit()).isEqualTo(Hours.ZERO);
    assertThat(r.session("n1").grade()).isEqualTo(Grade.C);
    assertThat(r.session("n1").inSession().standbyMillis()).isEqualTo(minutes(120));
    assertThat(r.session("n2").effective().millis()).isEqualTo(minutes(3));
  }

  @Test
  void activeTimeOutsideEverySessionIsUnbookedUse() {
    // ACTIVE 09:00-10:00 (booked) and 20:00-21:00 (no session), 18:00-18:30 (no session,
    // unverified). Total ACTIVE 150 = attributed 60 + unbooked 90.
    AttributionResult r =
        day(
            List.of(
                seg(DAY0, at(9, 0), OFF),
                seg(at(9, 0), at(10, 0), ACTIVE),
                seg(at(10, 0), at(18, 0), OFF),
                seg(at(18, 0), at(18, 30), ACTIVE, 0),
                seg(at(18, 30), at(20, 0), OFF),
                seg(at(20, 0), at(21, 0), ACTIVE),
                seg(at(21, 0), DAY0 + DAY, OFF)),
            booking("b1", at(9, 0), at(10, 0), b -> {}));

    assertThat(r.unbooked())
        .containsExactly(
            new UnbookedUse(at(18, 0), at(18, 30), 0),
            new UnbookedUse(at(20, 0), at(21, 0), minutes(60)));
    assertThat(r.totalActive().millis()).isEqualTo(minutes(150));
    assertThat(r.attributedActive().millis()).isEqualTo(minutes(60));
    assertThat(r.unbookedActive().millis()).isEqualTo(minutes(90));
  }

  @Test
  void runningPastTheBookingBeyondToleranceIsAnOverrun() {
    // o1 09:00-10:00, ACTIVE 09:10-10:40: 40 min past the end, no one booked -> overrun (40 > 15);
    //   attributed 50, post credit 0 (no room after the last attributed minute, 10:00).
    // o2 13:00-14:00, ACTIVE 13:00-14:10: 10 min past the end <= 15 -> no overrun item.
    // o3 16:00-17:00 then o4 17:00-18:00, ACTIVE 16:30-17:30: o4 covers 17:00, no overrun.
    AttributionResult r =
        day(
            List.of(
                seg(DAY0, at(9, 10), OFF),
                seg(at(9, 10), at(10, 40), ACTIVE),
                seg(at(10, 40), at(13, 0), OFF),
                seg(at(13, 0), at(14, 10), ACTIVE),
                seg(at(14, 10), at(16, 30), OFF),
                seg(at(16, 30), at(17, 30), ACTIVE),
                seg(at(17, 30), DAY0 + DAY, OFF)),
            booking("o1", at(9, 0), at(10, 0), b -> b.postMillis(minutes(20))),
            booking("o2", at(13, 0), at(14, 0), b -> {}),
            booking("o3", at(16, 0), at(17, 0), b -> {}),
            booking("o4", at(17, 0), at(18, 0), b -> {}));

    assertThat(r.overruns()).containsExactly(new Overrun(0, "o1", at(10, 0), at(10, 40)));
    assertThat(r.overruns().get(0).overrunMillis()).isEqualTo(minutes(40));
    assertThat(r.session("o1").attributedActive().millis()).isEqualTo(minutes(50));
    assertThat(r.session("o1").postCredit()).isEqualTo(Hours.ZERO);
    assertThat(r.session("o2").overrunMillis()).isEqualTo(minutes(10));
    assertThat(r.session("o3").overrunMillis()).isZero();
    // Overrun time is also unbooked use: 10:00-10:40 and 14:00-14:10.
    assertThat(r.unbookedActive().millis()).isEqualTo(minutes(50));
  }

  @Test
  void maintenanceIsKeptApartAndNeverEffective() {
    // m1 maintenance 08:00-09:00 with ACTIVE 08:00-08:45 and 30 min declared prep: effective 0,
    // prep 0, 45 min counted apart as maintenance. c1 calibration 09:00-09:15 ACTIVE throughout.
    AttributionResult r =
        day(
            List.of(
                seg(DAY0, at(8, 0), OFF),
                seg(at(8, 0), at(8, 45), ACTIVE),
                seg(at(8, 45), at(9, 0), STANDBY),
                seg(at(9, 0), at(9, 15), ACTIVE),
                seg(at(9, 15), DAY0 + DAY, OFF)),
            booking(
                "m1",
                at(8, 0),
                at(9, 0),
                b -> b.purpose(PurposeCategory.MAINTENANCE).prepMillis(minutes(30))),
            Fixtures.session(
                "c1",
                SessionKind.MANUAL,
                at(9, 0),
                at(9, 15),
                b -> b.purpose(PurposeCategory.CALIBRATION)));

    assertThat(r.session("m1").effective()).isEqualTo(Hours.ZERO);
    assertThat(r.session("m1").prepCredit()).isEqualTo(Hours.ZERO);
    assertThat(r.session("m1").countedApart().millis()).isEqualTo(minutes(45));
    assertThat(r.maintenance().millis()).isEqualTo(minutes(45));
    assertThat(r.calibration().millis()).isEqualTo(minutes(15));
    assertThat(r.training()).isEqualTo(Hours.ZERO);
    assertThat(r.effective()).isEqualTo(Hours.ZERO);
    assertThat(r.attributedActive().millis()).isEqualTo(minutes(60));
  }

  @Test
  void overlappingSessionsNeverCountActiveTimeTwice() {
    // A: BOOKING 09:00-11:00 (internal, prep 20). B: LOGIN 10:00-12:00 (firm-X, prep 20, post 10).
    // ACTIVE 09:30-11:30. Earliest start wins: A gets 09:30-11:00 = 90, B gets 11:00-11:30 = 30;
    // 90 + 30 = 120 = all ACTIVE time.
    // A: prep min(20, 30, room 09:00-09:30 = 30) = 20; post room 11:00-11:00 = 0 -> 110 min.
    // B: prep room 10:00-11:00 is all ACTIVE (A's) -> 0; post min(10, 30, 30) = 10 -> 40 min,
    //    all external.
    AttributionResult r =
        day(
            List.of(
                seg(DAY0, at(9, 30), STANDBY),
                seg(at(9, 30), at(11, 30), ACTIVE),
                seg(at(11, 30), DAY0 + DAY, STANDBY)),
            booking("A", at(9, 0), at(11, 0), b -> b.prepMillis(minutes(20))),
            Fixtures.session(
                "B",
                SessionKind.LOGIN,
                at(10, 0),
                at(12, 0),
                b -> b.user("li", FIRM).prepMillis(minutes(20)).postMillis(minutes(10))));

    assertThat(r.session("A").attributedActive().millis()).isEqualTo(minutes(90));
    assertThat(r.session("B").attributedActive().millis()).isEqualTo(minutes(30));
    assertThat(r.session("A").effective().millis()).isEqualTo(minutes(110));
    assertThat(r.session("B").prepCredit()).isEqualTo(Hours.ZERO);
    assertThat(r.session("B").effective().millis()).isEqualTo(minutes(40));
    assertThat(r.external().millis()).isEqualTo(minutes(40));
    // Both sessions see 10:00-11:00 in inSession; the window total sees it once.
    assertThat(r.session("B").inSession().activeMillis()).isEqualTo(minutes(90));
    assertThat(r.inSessions().activeMillis()).isEqualTo(minutes(120));
    assertThat(r.attributedActive()).isEqualTo(r.totalActive());
    assertThat(r.issues()).isEmpty();
  }

  @Test
  void sameStartGoesToTheBookingThenToTheEarlierRow() {
    // Three sessions 10:00-11:00 over ACTIVE 10:00-11:00: LOGIN (row 0), BOOKING (row 1),
    // BOOKING (row 2). The BOOKINGs outrank the LOGIN; of the two, row 1 wins. Row 2 overlaps row 1
    // (same kind): reported, kept, and given nothing.
    AttributionResult r =
        day(
            List.of(
                seg(DAY0, at(10, 0), OFF),
                seg(at(10, 0), at(11, 0), ACTIVE),
                seg(at(11, 0), DAY0 + DAY, OFF)),
            Fixtures.session("L", SessionKind.LOGIN, at(10, 0), at(11, 0), b -> {}),
            booking("B1", at(10, 0), at(11, 0), b -> {}),
            booking("B2", at(10, 0), at(11, 0), b -> {}));

    assertThat(r.session("B1").attributedActive().millis()).isEqualTo(minutes(60));
    assertThat(r.session("L").attributedActive()).isEqualTo(Hours.ZERO);
    assertThat(r.session("B2").attributedActive()).isEqualTo(Hours.ZERO);
    assertThat(r.issues())
        .singleElement()
        .satisfies(
            i -> {
              assertThat(i.row()).isEqualTo(2);
              assertThat(i.code()).isEqualTo(AttributionIssue.Code.OVERLAPS_SAME_KIND);
              assertThat(i.field()).isEqualTo("start");
              assertThat(i.message()).contains("B1");
            });
    assertThat(UNIT).isEqualTo(r.managingEntityId());
  }
}
