package org.labmeter.collector.verify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.labmeter.collector.TestBatches.batch;
import static org.labmeter.collector.TestBatches.flip;
import static org.labmeter.collector.TestBatches.signer;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.labmeter.wire.BatchHash;
import org.labmeter.wire.Ed25519Signer;
import org.labmeter.wire.SignedBatch;

class BatchVerifierTest {
  /** 2024-01-01T00:00:00Z. */
  private static final long NOW = 1_704_067_200_000L;

  private static final String AGENT = "agent-1";
  private static final String NMR = "nmr-1";
  private static final Ed25519Signer KEY = signer(7);

  /**
   * Envelope offsets for agent "agent-1" (7 bytes) and instrument "nmr-1" (5 bytes): magic 4,
   * version 1, flags 1, agent 1+7, instrument 1+5, epoch 4, seq 8, previous hash 32, createdAt 8,
   * clock offset 4, count 2 = 78 bytes of header; sample 0 then has its timestamp at 78..85 and its
   * power at 86..93.
   */
  private static final int SAMPLE0_POWER_BYTE = 90;

  private final InMemoryChainHeads heads = new InMemoryChainHeads();
  private final BatchVerifier verifier = verifier(heads);

  private static BatchVerifier verifier(ChainHeads heads) {
    return new BatchVerifier(
        heads,
        Duration.ofMinutes(5),
        Duration.ofHours(1),
        Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC));
  }

  private static SignedBatch b(long seq, BatchHash previous) {
    return batch(KEY, AGENT, NMR, seq, previous, NOW - 60_000 + seq * 5_000, 5);
  }

  private Verdict verify(SignedBatch b) {
    return verifier.verify(AGENT, NMR, KEY.publicKey(), b.envelope());
  }

  private Verdict verifyAndCommit(SignedBatch b) {
    Verdict v = verify(b);
    if (v instanceof Verdict.Accepted a) {
      verifier.commit(a);
    }
    return v;
  }

  @Test
  void goodFirstBatchIsAcceptedAsGenesis() {
    Verdict v = verify(b(0, BatchHash.ZERO));

    assertThat(v).isInstanceOf(Verdict.Accepted.class);
    Verdict.Accepted a = (Verdict.Accepted) v;
    assertThat(a.link()).isEqualTo(ChainLink.GENESIS);
    assertThat(a.chainOk()).isTrue();
    assertThat(a.late()).isFalse();
    assertThat(a.batch().batch().samples()).hasSize(5);
  }

  @Test
  void offsetOfSamplePowerIsWhereTheCommentSays() {
    SignedBatch good = b(0, BatchHash.ZERO);
    byte[] env = good.envelope();
    // power of sample 0 is 100.0 W = 0x4059000000000000, big-endian at 86..93
    assertThat(env[86]).isEqualTo((byte) 0x40);
    assertThat(env[87]).isEqualTo((byte) 0x59);
  }

  @Test
  void oneTamperedByteBreaksTheSignature() {
    byte[] tampered = flip(b(0, BatchHash.ZERO).envelope(), SAMPLE0_POWER_BYTE);

    Verdict v = verifier.verify(AGENT, NMR, KEY.publicKey(), tampered);

    assertThat(v).isInstanceOf(Verdict.Rejected.class);
    assertThat(((Verdict.Rejected) v).reason()).isEqualTo(RejectReason.BAD_SIGNATURE);
    assertThat(heads.find(AGENT, NMR)).isEmpty();
  }

  @Test
  void anotherAgentsKeyDoesNotVerify() {
    Verdict v = verifier.verify(AGENT, NMR, signer(8).publicKey(), b(0, BatchHash.ZERO).envelope());

    assertThat(((Verdict.Rejected) v).reason()).isEqualTo(RejectReason.BAD_SIGNATURE);
  }

  @Test
  void envelopeMustNameTheTopicsAgentAndInstrument() {
    byte[] env = b(0, BatchHash.ZERO).envelope();

    Verdict otherAgent = verifier.verify("agent-2", NMR, KEY.publicKey(), env);
    Verdict otherInstrument = verifier.verify(AGENT, "ms-1", KEY.publicKey(), env);

    assertThat(((Verdict.Rejected) otherAgent).reason()).isEqualTo(RejectReason.AGENT_MISMATCH);
    assertThat(((Verdict.Rejected) otherInstrument).reason())
        .isEqualTo(RejectReason.INSTRUMENT_MISMATCH);
  }

  @Test
  void garbageAndUnknownVersionsAreRejectedWithTheirReason() {
    byte[] env = b(0, BatchHash.ZERO).envelope();
    byte[] badMagic = flip(env, 0);
    byte[] version2 = env.clone();
    version2[4] = 2;

    assertThat(((Verdict.Rejected) verifier.verify(AGENT, NMR, KEY.publicKey(), badMagic)).reason())
        .isEqualTo(RejectReason.MALFORMED);
    assertThat(((Verdict.Rejected) verifier.verify(AGENT, NMR, KEY.publicKey(), version2)).reason())
        .isEqualTo(RejectReason.UNSUPPORTED_VERSION);
    assertThat(
            ((Verdict.Rejected) verifier.verify(AGENT, NMR, KEY.publicKey(), new byte[] {1, 2}))
                .reason())
        .isEqualTo(RejectReason.MALFORMED);
  }

  @Test
  void samplesMoreThanTheSkewInTheFutureAreRejected() {
    // 5 samples 1 s apart: the last is at firstTs + 4 s.
    SignedBatch atLimit = batch(KEY, AGENT, NMR, 0, BatchHash.ZERO, NOW + 300_000 - 4_000, 5);
    SignedBatch beyond = batch(KEY, AGENT, NMR, 0, BatchHash.ZERO, NOW + 300_001 - 4_000, 5);

    assertThat(verify(atLimit)).isInstanceOf(Verdict.Accepted.class);
    Verdict v = verify(beyond);
    assertThat(((Verdict.Rejected) v).reason()).isEqualTo(RejectReason.FUTURE_TIMESTAMP);
  }

  @Test
  void oldBatchesAreAcceptedAndMarkedLate() {
    SignedBatch old = batch(KEY, AGENT, NMR, 0, BatchHash.ZERO, NOW - 3 * 86_400_000L, 5);
    SignedBatch recent = batch(KEY, AGENT, NMR, 0, BatchHash.ZERO, NOW - 3_600_000 + 1_000, 5);

    assertThat(((Verdict.Accepted) verify(old)).late()).isTrue();
    assertThat(((Verdict.Accepted) verify(recent)).late()).isFalse();
  }

  @Test
  void nextBatchNamingTheHeadIsLinked() {
    SignedBatch b0 = b(0, BatchHash.ZERO);
    verifyAndCommit(b0);

    Verdict v = verifyAndCommit(b(1, b0.hash()));

    assertThat(((Verdict.Accepted) v).link()).isEqualTo(ChainLink.LINKED);
    assertThat(heads.find(AGENT, NMR))
        .contains(new ChainHead(1, ((Verdict.Accepted) v).batch().hash()));
  }

  @Test
  void skippedSequenceIsAGapStoredUnverifiedAndMovesTheHead() {
    SignedBatch b0 = b(0, BatchHash.ZERO);
    SignedBatch b1 = b(1, b0.hash());
    SignedBatch b2 = b(2, b1.hash());
    verifyAndCommit(b0);

    Verdict v = verifyAndCommit(b2);

    Verdict.Accepted a = (Verdict.Accepted) v;
    assertThat(a.link()).isEqualTo(ChainLink.GAP);
    assertThat(a.chainOk()).isFalse();
    assertThat(heads.find(AGENT, NMR).orElseThrow().sequence()).isEqualTo(2);
  }

  @Test
  void unknownHeadWithSequenceAboveZeroIsAGap() {
    Verdict v = verify(b(5, BatchHash.digest(new byte[] {1})));

    assertThat(((Verdict.Accepted) v).link()).isEqualTo(ChainLink.GAP);
  }

  @Test
  void nextSequenceNamingAnotherHashIsABreak() {
    verifyAndCommit(b(0, BatchHash.ZERO));

    Verdict v = verify(b(1, BatchHash.digest(new byte[] {42})));

    assertThat(((Verdict.Accepted) v).link()).isEqualTo(ChainLink.BROKEN);
    assertThat(((Verdict.Accepted) v).chainOk()).isFalse();
  }

  @Test
  void theHeadSentAgainIsADuplicate() {
    SignedBatch b0 = b(0, BatchHash.ZERO);
    SignedBatch b1 = b(1, b0.hash());
    verifyAndCommit(b0);
    verifyAndCommit(b1);

    assertThat(verify(b1)).isInstanceOf(Verdict.Duplicate.class);
    // also recognised below the head, from the recent window
    assertThat(verify(b0)).isInstanceOf(Verdict.Duplicate.class);
  }

  @Test
  void afterARestartWithoutAStoreTheHeadIsStillRecognisedButOlderBatchesAreStoredAgain() {
    SignedBatch b0 = b(0, BatchHash.ZERO);
    SignedBatch b1 = b(1, b0.hash());
    SignedBatch b2 = b(2, b1.hash());
    verifyAndCommit(b0);
    verifyAndCommit(b1);
    verifyAndCommit(b2);
    BatchVerifier restarted = verifier(heads);

    assertThat(restarted.verify(AGENT, NMR, KEY.publicKey(), b2.envelope()))
        .isInstanceOf(Verdict.Duplicate.class);
    // below the head and not in this process's window, no store to ask: cannot be told from a
    // gap filler whose neighbours are unknown, so stored again, unverified, head unchanged
    Verdict v = restarted.verify(AGENT, NMR, KEY.publicKey(), b1.envelope());
    assertThat(((Verdict.Accepted) v).link()).isEqualTo(ChainLink.FILLED);
    assertThat(((Verdict.Accepted) v).chainOk()).isFalse();
    restarted.commit((Verdict.Accepted) v);
    assertThat(heads.find(AGENT, NMR)).contains(new ChainHead(2, b2.hash()));
  }

  @Test
  void sameSequenceWithAnotherHashIsAForkAndRefused() {
    SignedBatch b0 = b(0, BatchHash.ZERO);
    SignedBatch b1 = b(1, b0.hash());
    SignedBatch b2 = b(2, b1.hash());
    verifyAndCommit(b0);
    verifyAndCommit(b1);
    verifyAndCommit(b2);
    SignedBatch otherB1 = batch(KEY, AGENT, NMR, 1, b0.hash(), NOW - 30_000, 3);

    Verdict v = verifyAndCommit(otherB1);

    assertThat(((Verdict.Rejected) v).reason()).isEqualTo(RejectReason.FORK);
    assertThat(heads.find(AGENT, NMR)).contains(new ChainHead(2, b2.hash()));
  }

  @Test
  void sequenceZeroWithZeroHashAfterAHeadIsARestart() {
    SignedBatch b0 = b(0, BatchHash.ZERO);
    SignedBatch b1 = b(1, b0.hash());
    verifyAndCommit(b0);
    verifyAndCommit(b1);
    SignedBatch fresh = batch(KEY, AGENT, NMR, 0, BatchHash.ZERO, NOW - 1_000, 1);

    Verdict v = verifyAndCommit(fresh);

    assertThat(((Verdict.Accepted) v).link()).isEqualTo(ChainLink.RESTARTED);
    assertThat(((Verdict.Accepted) v).chainOk()).isTrue();
    assertThat(heads.find(AGENT, NMR)).contains(new ChainHead(0, fresh.hash()));
  }
}
