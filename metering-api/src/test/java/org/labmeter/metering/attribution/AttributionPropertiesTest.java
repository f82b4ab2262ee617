package org.labmeter.metering.attribution;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.labmeter.metering.derive.RunState;
import org.labmeter.metering.derive.StateSegment;

/**
 * Invariants over random inputs: a window [0, 1000) ms, a timeline of up to 30 segments of random
 * states and verified shares (with holes), and up to 8 sessions of every kind and purpose that may
 * overlap, reach outside the window, or end before they start.
 */
class AttributionPropertiesTest {
  private static final long FROM = 0;
  private static final long TO = 1000;

  record Piece(int length, RunState state, int verifiedPercent, boolean hole) {}

  @Provide
  Arbitrary<List<StateSegment>> timelines() {
    Arbitrary<Piece> piece =
        Combinators.combine(
                Arbitraries.integers().between(1, 120),
                Arbitraries.of(RunState.class),
                Arbitraries.of(0, 50, 97, 100),
                Arbitraries.integers().between(0, 9).map(i -> i == 0))
            .as(Piece::new);
    return piece
        .list()
        .ofMaxSize(30)
        .map(
            pieces -> {
              List<StateSegment> out = new ArrayList<>();
              long t = -50;
              for (Piece p : pieces) {
                if (!p.hole()) {
                  long verified = p.length() * (long) p.verifiedPercent() / 100;
                  out.add(new StateSegment(t, t + p.length(), p.state(), verified));
                }
                t += p.length();
              }
              return out;
            });
  }

  @Provide
  Arbitrary<List<UsageSession>> sessionLists() {
    Arbitrary<UsageSession> session =
        Combinators.combine(
                Arbitraries.longs().between(-100, 1050),
                Arbitraries.longs().between(-20, 400),
                Arbitraries.of(SessionKind.class),
                Arbitraries.of(PurposeCategory.class),
                Arbitraries.of("unit-A", "firm-X"),
                Arbitraries.integers().between(0, 3),
                Arbitraries.longs().between(0, 200),
                Arbitraries.longs().between(0, 200))
            .as(
                (start, length, kind, purpose, entity, money, prep, post) ->
                    UsageSession.create(
                        b ->
                            b.id("s" + start + "/" + length)
                                .kind(kind)
                                .start(start)
                                .end(start + length)
                                .user("u", entity)
                                .purpose(purpose)
                                .voucher(money >= 2 ? "V" : null, money == 3)
                                .invoiced(money == 1)
                                .prepMillis(prep)
                                .postMillis(post)));
    return session.list().ofMaxSize(8);
  }

  private static AttributionPolicy policy(int caps) {
    return AttributionPolicy.create(
        b ->
            b.prepCap(Duration.ofMillis(caps))
                .postCap(Duration.ofMillis(caps / 2))
                .overrunTolerance(Duration.ofMillis(caps / 3))
                .noShowThreshold(Duration.ofMillis(caps / 4)));
  }

  @Property(tries = 1000)
  void hoursStayWithinTheirBoundsAndActiveTimeIsCountedOnce(
      @ForAll("timelines") List<StateSegment> timeline,
      @ForAll("sessionLists") List<UsageSession> sessions,
      @ForAll @IntRange(min = 0, max = 120) int caps) {
    AttributionPolicy policy = policy(caps);
    AttributionResult r =
        AttributionEngine.attribute(timeline, FROM, TO, "unit-A", sessions, policy);

    long active = 0;
    for (StateSegment s : timeline) {
      if (s.state() == RunState.ACTIVE) {
        active += Math.max(0, Math.min(s.endMillis(), TO) - Math.max(s.startMillis(), FROM));
      }
    }
    assertThat(r.totalActive().millis()).isEqualTo(active);
    assertThat(r.unbookedActive().millis() + r.attributedActive().millis()).isEqualTo(active);

    long attributed = 0;
    for (SessionAttribution s : r.sessions()) {
      long cap =
          Math.min(s.session().prepMillis(), policy.prepCap().toMillis())
              + Math.min(s.session().postMillis(), policy.postCap().toMillis());
      assertThat(s.effective().millis()).isBetween(0L, s.attributedActive().millis() + cap);
      assertThat(s.external().millis()).isBetween(0L, s.effective().millis());
      assertThat(s.voucher().millis()).isBetween(0L, s.external().millis());
      assertThat(s.verifiedActiveMillis()).isBetween(0L, s.attributedActive().millis());
      assertThat(s.inSession().totalMillis()).isEqualTo(s.endMillis() - s.startMillis());
      attributed += s.attributedActive().millis();
    }
    assertThat(attributed).isEqualTo(r.attributedActive().millis());
    assertThat(r.external().millis()).isBetween(0L, r.effective().millis());
    assertThat(r.voucher().millis()).isBetween(0L, r.external().millis());
    assertThat(r.verifiedEffective().millis() + r.declaredEffective().millis())
        .isEqualTo(r.effective().millis());
    long effectiveActive = attributed - r.maintenance().millis() - r.calibration().millis();
    effectiveActive -= r.training().millis();
    assertThat(effectiveActive).isBetween(0L, r.effective().millis());

    // Unbooked stretches are ACTIVE, inside the window, and touch no kept session.
    for (UnbookedUse u : r.unbooked()) {
      assertThat(u.startMillis()).isGreaterThanOrEqualTo(FROM);
      assertThat(u.endMillis()).isLessThanOrEqualTo(TO);
      assertThat(u.verifiedMillis()).isBetween(0L, u.durationMillis());
      for (SessionAttribution s : r.sessions()) {
        // A zero-length session covers no time.
        boolean apart =
            s.startMillis() == s.endMillis()
                || u.endMillis() <= s.startMillis()
                || u.startMillis() >= s.endMillis();
        assertThat(apart).as("unbooked %s overlaps session %s", u, s.sessionId()).isTrue();
      }
    }
    for (Overrun o : r.overruns()) {
      assertThat(o.overrunMillis()).isGreaterThan(policy.overrunTolerance().toMillis());
    }
    assertThat(
            r.sessions().size() + r.issues().stream().filter(i -> i.code().dropsSession()).count())
        .isEqualTo(sessions.size());
  }
}
