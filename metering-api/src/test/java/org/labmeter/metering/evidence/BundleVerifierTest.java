package org.labmeter.metering.evidence;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.labmeter.metering.derive.DerivationProfile;
import org.labmeter.metering.derive.ObservationSeries;
import org.labmeter.metering.derive.StateDeriver;
import org.labmeter.metering.derive.Usage;
import org.labmeter.metering.store.StoredBatch;
import org.labmeter.wire.Batch;
import org.labmeter.wire.BatchCodec;
import org.labmeter.wire.BatchHash;
import org.labmeter.wire.Ed25519Signer;
import org.labmeter.wire.Quality;
import org.labmeter.wire.RunFlag;
import org.labmeter.wire.Sample;
import org.labmeter.wire.SignedBatch;

/**
 * Hand-built bundles. One agent, one instrument; window [T0, T0 + 10 min); a sample every 10 s from
 * T0 to T0 + 590 s, 1000 W up to T0 + 290 s, then 100 W. Batch #0 holds a single sample three hours
 * earlier (outside the one-hour read margin) and is bundled only to confirm the link of #1; batches
 * #1..#6 hold ten samples each (#1: 0..90 s, #2: 100..190 s, ... #6: 500..590 s).
 *
 * <p>Profile: OFF below 10 W, on at 800 W, off at 500 W, no dwell times, max gap 20 s. By hand:
 * ACTIVE [0, 300 s) = 300,000 ms, STANDBY [300 s, 600 s) = 300,000 ms (the last sample holds to the
 * window's end, 10 s later), one session, coverage 1.
 */
class BundleVerifierTest {
  static final String AGENT = "agent-1";
  static final String INSTRUMENT = "nmr-1";
  static final long T0 = Instant.parse("2026-03-02T10:00:00Z").toEpochMilli();
  static final long FROM = T0;
  static final long TO = T0 + 600_000;
  static final long MARGIN = 3_600_000;
  static final DerivationProfile PROFILE =
      DerivationProfile.create(
          b ->
              b.offBelowW(10)
                  .onThresholdW(800)
                  .offThresholdW(500)
                  .minOn(Duration.ZERO)
                  .minOff(Duration.ZERO)
                  .maxSampleGap(Duration.ofSeconds(20)));
  static final Ed25519Signer SIGNER = Ed25519Signer.fromSeed(new byte[32]);

  final List<SignedBatch> chain = buildChain();
  final EvidenceBundle honest = bundle(chain, serverUsage(chain));

  static List<SignedBatch> buildChain() {
    List<SignedBatch> out = new ArrayList<>();
    BatchHash previous = BatchHash.ZERO;
    List<List<Sample>> contents = new ArrayList<>();
    contents.add(List.of(Sample.power(T0 - 3 * 3_600_000, 100, Double.NaN)));
    for (int batch = 0; batch < 6; batch++) {
      List<Sample> samples = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        long t = (batch * 10L + i) * 10_000;
        samples.add(Sample.power(T0 + t, t < 300_000 ? 1000 : 100, Double.NaN));
      }
      contents.add(samples);
    }
    for (int seq = 0; seq < contents.size(); seq++) {
      List<Sample> samples = contents.get(seq);
      SignedBatch signed =
          BatchCodec.sign(
              new Batch(
                  AGENT,
                  INSTRUMENT,
                  1,
                  seq,
                  previous,
                  samples.get(samples.size() - 1).timestampMillis(),
                  0,
                  samples),
              SIGNER);
      out.add(signed);
      previous = signed.hash();
    }
    return out;
  }

  /** What the honest server derives: every stored sample verified. */
  static Usage serverUsage(List<SignedBatch> chain) {
    ObservationSeries.Builder series = ObservationSeries.builder();
    for (SignedBatch b : chain) {
      for (Sample s : b.batch().samples()) {
        if (s.timestampMillis() >= FROM - MARGIN && s.timestampMillis() < TO + MARGIN) {
          series.add(s.timestampMillis(), s.powerW(), RunFlag.NONE, Quality.GOOD, true);
        }
      }
    }
    return StateDeriver.derive(PROFILE, series.build(), FROM, TO);
  }

  static StoredBatch stored(SignedBatch s) {
    return new StoredBatch(
        s.batch().agentId(),
        s.batch().sequence(),
        s.batch().firstTimestampMillis(),
        s.batch().lastTimestampMillis(),
        s.hash().toHex(),
        true,
        s.batch().createdAtMillis() + 500,
        Base64.getEncoder().encodeToString(s.envelope()));
  }

  static EvidenceBundle bundle(List<SignedBatch> chain, Usage server) {
    return new EvidenceBundle(
        EvidenceBundle.FORMAT,
        TO + 86_400_000,
        INSTRUMENT,
        "NMR 600",
        FROM,
        TO,
        FROM - MARGIN,
        TO + MARGIN,
        StateDeriver.ALGORITHM_VERSION,
        List.of(new BundledProfile(1, T0 - 86_400_000, PROFILE)),
        List.of(new BundledAgent(AGENT, SIGNER.publicKey().toBase64())),
        chain.stream().map(BundleVerifierTest::stored).toList(),
        new ServerResult(1, 60, server));
  }

  @Test
  void theHonestServersNumbersAreTheHandComputedOnes() {
    Usage u = honest.server().usage();
    assertThat(u.durations().activeMillis()).isEqualTo(300_000);
    assertThat(u.durations().standbyMillis()).isEqualTo(300_000);
    assertThat(u.durations().unknownMillis()).isZero();
    assertThat(u.sessions()).hasSize(1);
    assertThat(u.coverage()).isEqualTo(1.0);
  }

  @Test
  void anIntactBundleMatches() {
    VerificationReport r = BundleVerifier.verify(honest);

    assertThat(r.checks()).hasSize(7).allMatch(c -> c.problem() == null);
    assertThat(r.checks().get(0).samplesInRange()).as("#0 only confirms #1's link").isZero();
    assertThat(r.gaps()).isEmpty();
    assertThat(r.offlineSamples()).isEqualTo(60);
    assertThat(r.differences()).isEmpty();
    assertThat(r.passed()).isTrue();
    assertThat(r.render()).contains("Result: MATCH - every check passed");
  }

  @Test
  void theFileFormatRoundTripsToTheSameVerdict() {
    byte[] file = BundleJson.toBytes(honest);

    BundleReadResult read = BundleJson.read(new ByteArrayInputStream(file));

    assertThat(read).isInstanceOf(BundleReadResult.Read.class);
    EvidenceBundle back = ((BundleReadResult.Read) read).bundle();
    assertThat(back).isEqualTo(honest);
    assertThat(BundleVerifier.verify(back).passed()).isTrue();
  }

  @Test
  void aFileThatIsNotABundleIsUnreadable() {
    assertThat(read("not json")).isInstanceOf(BundleReadResult.Unreadable.class);
    assertThat(read("{\"format\":\"something-else/1\"}"))
        .isEqualTo(
            new BundleReadResult.Unreadable(
                "format is 'something-else/1', this verifier reads labmeter-evidence/1"));
    assertThat(read("{\"format\":\"labmeter-evidence/1\"}"))
        .isEqualTo(new BundleReadResult.Unreadable("field 'window' is missing"));
  }

  static BundleReadResult read(String text) {
    return BundleJson.read(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void oneChangedSampleByteFailsThatBatchsSignature() {
    // #3 holds 200..290 s at 1000 W; flip the lowest byte of its first sample's power
    byte[] envelope = chain.get(3).envelope();
    int header = 4 + 1 + 1 + 1 + AGENT.length() + 1 + INSTRUMENT.length() + 4 + 8 + 32 + 8 + 4 + 2;
    envelope[header + 8 + 7] ^= 1;
    List<StoredBatch> batches = new ArrayList<>(honest.batches());
    StoredBatch original = batches.get(3);
    batches.set(
        3,
        new StoredBatch(
            original.agentId(),
            original.sequence(),
            original.firstTimestampMillis(),
            original.lastTimestampMillis(),
            original.hashHex(),
            true,
            original.receivedAtMillis(),
            Base64.getEncoder().encodeToString(envelope)));

    VerificationReport r = BundleVerifier.verify(honest.withBatches(batches));

    assertThat(r.failedChecks()).extracting(BatchCheck::sequence).containsExactly(3L, 4L);
    assertThat(r.failedChecks().get(0).problem()).startsWith("signature does not verify");
    assertThat(r.failedChecks().get(1).problem())
        .isEqualTo("previous hash does not match the hash of #3");
    // 1000 W plus one ulp is still ACTIVE: same states, but [200 s, 300 s) is no longer verified
    assertThat(r.offline().durations()).isEqualTo(honest.server().usage().durations());
    assertThat(r.offline().verifiedActiveMillis()).isEqualTo(200_000);
    assertThat(r.offline().coverage()).isEqualTo(2.0 / 3.0);
    assertThat(r.differences())
        .extracting(Difference::field)
        .contains("verifiedMillis.ACTIVE", "verifiedMillis.STANDBY", "coverage", "evidenceGaps");
    assertThat(r.passed()).isFalse();
    assertThat(r.render())
        .contains("batch agent-1 #3 (samples 2026-03-02T10:03:20Z .. 2026-03-02T10:04:50Z)")
        .contains("verifiedMillis.ACTIVE: server 300000, offline 200000")
        .contains("agent-1 #3, agent-1 #4")
        .contains("Result: MISMATCH");
  }

  @Test
  void aRemovedBatchIsAChainGapNamedByItsSequence() {
    // drop #2 (100..190 s): sample 90 s is followed by 200 s, a 110 s gap > 20 s, so
    // [90 s, 200 s) is UNKNOWN; #3 cannot be linked, so [200 s, 300 s) is ACTIVE but unverified
    List<StoredBatch> batches = new ArrayList<>(honest.batches());
    batches.remove(2);

    VerificationReport r = BundleVerifier.verify(honest.withBatches(batches));

    assertThat(r.gaps()).containsExactly(new ChainGap(AGENT, 2, 2, T0 + 90_000, T0 + 200_000));
    assertThat(r.failedChecks()).extracting(BatchCheck::sequence).containsExactly(3L);
    assertThat(r.failedChecks().get(0).problem()).isEqualTo("chain gap: sequence 2 missing");
    assertThat(r.offlineSamples()).isEqualTo(50);
    assertThat(r.offline().durations().activeMillis()).isEqualTo(90_000 + 100_000);
    assertThat(r.offline().durations().unknownMillis()).isEqualTo(110_000);
    assertThat(r.offline().verifiedActiveMillis()).isEqualTo(90_000);
    assertThat(r.offline().coverage()).isEqualTo(90.0 / 190.0).isLessThan(1.0);
    assertThat(r.offline().sessions()).hasSize(2);
    assertThat(r.differences())
        .extracting(Difference::toString)
        .contains(
            "samplesRead: server 60, offline 50 (see the chain gaps above)",
            "millis.ACTIVE: server 300000, offline 190000",
            "millis.UNKNOWN: server 0, offline 110000",
            "sessions.count: server 1, offline 2");
    assertThat(r.render())
        .contains("chain agent-1: sequence 2 missing, samples between 2026-03-02T10:01:30Z")
        .contains("no bundled batch holds samples there: agent-1 sequence 2 missing")
        .contains("Result: MISMATCH");
  }

  @Test
  void withoutTheLinkBatchTheFirstBatchCannotBeLinked() {
    List<StoredBatch> batches = new ArrayList<>(honest.batches());
    batches.remove(0);

    VerificationReport r = BundleVerifier.verify(honest.withBatches(batches));

    assertThat(r.gaps()).containsExactly(new ChainGap(AGENT, 0, 0, -1, T0));
    assertThat(r.offline().verifiedActiveMillis()).isEqualTo(200_000);
    assertThat(r.passed()).isFalse();
  }

  @Test
  void aWrongPublicKeyFlagsEveryBatch() {
    String other = Ed25519Signer.generate(new SecureRandom()).publicKey().toBase64();

    VerificationReport r =
        BundleVerifier.verify(honest.withAgents(List.of(new BundledAgent(AGENT, other))));

    assertThat(r.failedChecks()).hasSize(7).allMatch(c -> !c.signatureValid());
    assertThat(r.offline().verifiedActiveMillis()).isZero();
    assertThat(r.offline().coverage()).isZero();
    assertThat(r.differences()).extracting(Difference::field).contains("coverage");
    assertThat(r.render()).contains("Result: MISMATCH");
  }
}
