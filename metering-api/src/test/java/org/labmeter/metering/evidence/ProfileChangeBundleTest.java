package org.labmeter.metering.evidence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.labmeter.metering.evidence.BundleVerifierTest.AGENT;
import static org.labmeter.metering.evidence.BundleVerifierTest.FROM;
import static org.labmeter.metering.evidence.BundleVerifierTest.INSTRUMENT;
import static org.labmeter.metering.evidence.BundleVerifierTest.MARGIN;
import static org.labmeter.metering.evidence.BundleVerifierTest.PROFILE;
import static org.labmeter.metering.evidence.BundleVerifierTest.SIGNER;
import static org.labmeter.metering.evidence.BundleVerifierTest.T0;
import static org.labmeter.metering.evidence.BundleVerifierTest.TO;

import java.io.ByteArrayInputStream;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.labmeter.metering.derive.DerivationProfile;
import org.labmeter.metering.derive.ObservationSeries;
import org.labmeter.metering.derive.ProfileSchedule;
import org.labmeter.metering.derive.StateDeriver;
import org.labmeter.metering.derive.Usage;
import org.labmeter.wire.Quality;
import org.labmeter.wire.RunFlag;
import org.labmeter.wire.Sample;
import org.labmeter.wire.SignedBatch;

/**
 * The offline verifier across a profile change. Samples and version 1 as in {@link
 * BundleVerifierTest} (1000 W to T0 + 290 s, then 100 W; T_on 800 W, T_off 500 W). Version 2
 * applies from T0 + 120 s with T_on 1,200 W and T_off 1,100 W: the 1000 W sample at 120 s is then
 * at most T_off, so the level goes low. By hand: ACTIVE [0, 120 s) = 120,000 ms, STANDBY [120 s,
 * 600 s) = 480,000 ms. Version 1 throughout would say 300,000 ms ACTIVE.
 */
class ProfileChangeBundleTest {
  static final long CHANGE = T0 + 120_000;
  static final DerivationProfile V2 =
      DerivationProfile.create(b -> b.from(PROFILE).onThresholdW(1200).offThresholdW(1100));
  static final List<BundledProfile> PROFILES =
      List.of(new BundledProfile(1, T0 - 86_400_000, PROFILE), new BundledProfile(2, CHANGE, V2));

  final List<SignedBatch> chain = BundleVerifierTest.buildChain();

  Usage serverUsage() {
    ObservationSeries.Builder series = ObservationSeries.builder();
    for (SignedBatch b : chain) {
      for (Sample s : b.batch().samples()) {
        if (s.timestampMillis() >= FROM - MARGIN && s.timestampMillis() < TO + MARGIN) {
          series.add(s.timestampMillis(), s.powerW(), RunFlag.NONE, Quality.GOOD, true);
        }
      }
    }
    ProfileSchedule schedule =
        new ProfileSchedule(
            List.of(
                new ProfileSchedule.Version(1, T0 - 86_400_000, PROFILE),
                new ProfileSchedule.Version(2, CHANGE, V2)));
    return StateDeriver.derive(schedule, series.build(), FROM, TO);
  }

  EvidenceBundle bundle(Usage server) {
    EvidenceBundle base = BundleVerifierTest.bundle(chain, server);
    return new EvidenceBundle(
        base.format(),
        base.exportedAtMillis(),
        INSTRUMENT,
        base.instrumentName(),
        FROM,
        TO,
        base.readFromMillis(),
        base.readToMillis(),
        base.algorithmVersion(),
        PROFILES,
        List.of(new BundledAgent(AGENT, SIGNER.publicKey().toBase64())),
        base.batches(),
        base.server());
  }

  @Test
  void theServersNumbersAreTheHandComputedOnes() {
    Usage u = serverUsage();

    assertThat(u.activeMillis()).isEqualTo(120_000);
    assertThat(u.durations().standbyMillis()).isEqualTo(480_000);
    assertThat(u.profiles()).hasSize(2);
  }

  @Test
  void theVerifierAppliesTheBundledVersionsTheSameWay() {
    EvidenceBundle b = bundle(serverUsage());

    VerificationReport r = BundleVerifier.verify(b);

    assertThat(r.offline()).isEqualTo(b.server().usage());
    assertThat(r.differences()).isEmpty();
    assertThat(r.passed()).isTrue();
    assertThat(r.render())
        .contains("version 1 over 2026-03-02T10:00:00Z .. 2026-03-02T10:02:00Z")
        .contains("version 2 over 2026-03-02T10:02:00Z .. 2026-03-02T10:10:00Z");
  }

  @Test
  void aServerThatIgnoredTheChangeIsCaught() {
    Usage stale = BundleVerifierTest.serverUsage(chain);
    assertThat(stale.activeMillis()).isEqualTo(300_000);

    VerificationReport r = BundleVerifier.verify(bundle(stale));

    assertThat(r.match()).isFalse();
    assertThat(r.differences())
        .extracting(Difference::field)
        .contains("parameterHash", "millis.ACTIVE", "millis.STANDBY");
  }

  @Test
  void theSpansSurviveTheFileFormat() {
    EvidenceBundle b = bundle(serverUsage());

    BundleReadResult read = BundleJson.read(new ByteArrayInputStream(BundleJson.toBytes(b)));

    EvidenceBundle back = ((BundleReadResult.Read) read).bundle();
    assertThat(back.server().usage().profiles()).isEqualTo(b.server().usage().profiles());
    assertThat(back).isEqualTo(b);
  }
}
