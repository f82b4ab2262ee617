package org.labmeter.collector.verify;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.labmeter.wire.AgentPublicKey;
import org.labmeter.wire.Batch;
import org.labmeter.wire.BatchCodec;
import org.labmeter.wire.DecodeResult;
import org.labmeter.wire.SignedBatch;

/**
 * Decides whether a telemetry payload becomes evidence: it must decode, name the topic's agent and
 * instrument, carry a signature by the agent's enrolled key and no sample from the future. Its
 * place in the agent's hash chain ({@link ChainPlacer}) decides whether it is stored as verified,
 * stored as unverified, fills a gap (and verifies the stored batches after it), is recognised as a
 * retransmission and not stored again, or is refused as a fork.
 *
 * <p>Synchronous; may block when it asks the store about batches below the head. Not safe for
 * concurrent calls on the same chain: the collector calls it for an agent only from that agent's
 * worker thread. What {@link #verify} decides is noted per chain; {@link #commit(ChainId)} after
 * the batches were stored keeps it (and moves the head), {@link #discard} after a failed write
 * forgets it, so the verifier never counts on a batch that did not land.
 */
public final class BatchVerifier {
  /** Links remembered per chain before the store is asked (about 16 KB per chain). */
  public static final int WINDOW_LINKS = 64;

  /** Bytes of unverified batches kept per chain for rewriting once their gap closes. */
  public static final long WINDOW_BATCH_BYTES = 1L << 20;

  private final ChainHeads heads;
  private final ChainPlacer placer;
  private final Duration futureSkew;
  private final Duration lateAfter;
  private final Clock clock;

  /**
   * Without a store to ask: only the in-memory window places batches below the head (a batch older
   * than the window cannot be told from a gap filler and is stored again, unverified).
   */
  public BatchVerifier(ChainHeads heads, Duration futureSkew, Duration lateAfter, Clock clock) {
    this(heads, StoredBatches.NONE, futureSkew, lateAfter, clock);
  }

  /**
   * @param stored the stored batch records, asked for batches below the head that the in-memory
   *     window does not hold
   */
  public BatchVerifier(
      ChainHeads heads,
      StoredBatches stored,
      Duration futureSkew,
      Duration lateAfter,
      Clock clock) {
    this(heads, stored, futureSkew, lateAfter, clock, Integer.MAX_VALUE);
  }

  /**
   * @param maxChainWindows chains whose windows are held in memory at once (least recently used
   *     evicted first; an evicted chain is read back from the heads and the store)
   */
  public BatchVerifier(
      ChainHeads heads,
      StoredBatches stored,
      Duration futureSkew,
      Duration lateAfter,
      Clock clock,
      int maxChainWindows) {
    this.heads = Objects.requireNonNull(heads, "heads");
    this.placer =
        new ChainPlacer(
            heads,
            Objects.requireNonNull(stored, "stored"),
            WINDOW_LINKS,
            WINDOW_BATCH_BYTES,
            maxChainWindows);
    this.futureSkew = Objects.requireNonNull(futureSkew, "futureSkew");
    this.lateAfter = Objects.requireNonNull(lateAfter, "lateAfter");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** {@link #verify(String, String, AgentPublicKey, byte[], long)} received now. */
  public Verdict verify(String agentId, String instrumentId, AgentPublicKey key, byte[] envelope) {
    return verify(agentId, instrumentId, key, envelope, clock.millis());
  }

  /**
   * @param agentId the agent of the topic (the authenticated connection)
   * @param instrumentId the instrument of the topic
   * @param key the agent's enrolled public key
   * @param envelope the exact payload bytes
   * @param receivedAtMillis when the collector received it
   * @throws RuntimeException when the store had to be asked and could not answer
   */
  public Verdict verify(
      String agentId,
      String instrumentId,
      AgentPublicKey key,
      byte[] envelope,
      long receivedAtMillis) {
    Decoded decoded = decode(agentId, instrumentId, envelope);
    if (decoded.rejected() != null) {
      return decoded.rejected();
    }
    if (!decoded.batch().verify(key)) {
      return badSignature(key);
    }
    return placeSigned(decoded.batch(), receivedAtMillis);
  }

  /**
   * A payload decoded and checked against its topic: what can be checked before the signature.
   * Exactly one of the two is set.
   */
  public record Decoded(SignedBatch batch, Verdict.Rejected rejected) {}

  /**
   * The first step of {@link #verify}: the payload must decode and name the topic's agent and
   * instrument. For callers that check the signatures of many payloads at once before placing them.
   */
  public Decoded decode(String agentId, String instrumentId, byte[] envelope) {
    DecodeResult decoded = BatchCodec.decode(envelope);
    if (decoded instanceof DecodeResult.Malformed m) {
      return refused(new Verdict.Rejected(RejectReason.MALFORMED, m.reason()));
    }
    if (decoded instanceof DecodeResult.UnsupportedVersion v) {
      return refused(
          new Verdict.Rejected(
              RejectReason.UNSUPPORTED_VERSION, "envelope version " + v.version()));
    }
    SignedBatch signed = ((DecodeResult.Decoded) decoded).signedBatch();
    Batch batch = signed.batch();
    if (!batch.agentId().equals(agentId)) {
      return refused(
          new Verdict.Rejected(
              RejectReason.AGENT_MISMATCH,
              "envelope names agent " + batch.agentId() + ", topic agent " + agentId));
    }
    if (!batch.instrumentId().equals(instrumentId)) {
      return refused(
          new Verdict.Rejected(
              RejectReason.INSTRUMENT_MISMATCH,
              "envelope names instrument "
                  + batch.instrumentId()
                  + ", topic instrument "
                  + instrumentId));
    }
    return new Decoded(signed, null);
  }

  /** The verdict on a batch whose signature does not verify with {@code key}. */
  public static Verdict.Rejected badSignature(AgentPublicKey key) {
    return new Verdict.Rejected(
        RejectReason.BAD_SIGNATURE, "signature does not verify with " + key.fingerprint());
  }

  /**
   * Reads ahead, for all of them at once, what the store holds for the chains of {@code
   * signatureChecked} that have no head here yet, so that placing them does not ask chain by chain.
   */
  public void prefetch(List<SignedBatch> signatureChecked) {
    placer.prefetch(signatureChecked);
  }

  /**
   * The last step of {@link #verify}, for a batch from {@link #decode} whose signature the caller
   * has verified: the timestamp bounds, then its place in the chain.
   *
   * @throws RuntimeException when the store had to be asked and could not answer
   */
  public Verdict placeSigned(SignedBatch signed, long receivedAtMillis) {
    Batch batch = signed.batch();
    long now = clock.millis();
    long newest = batch.lastTimestampMillis();
    if (newest > now + futureSkew.toMillis()) {
      return new Verdict.Rejected(
          RejectReason.FUTURE_TIMESTAMP,
          "sample at "
              + Instant.ofEpochMilli(newest)
              + " is "
              + Duration.ofMillis(newest - now)
              + " ahead of the collector clock (allowed "
              + futureSkew
              + ")");
    }
    boolean late = newest < now - lateAfter.toMillis();
    return placer.place(signed, late, receivedAtMillis);
  }

  private static Decoded refused(Verdict.Rejected rejected) {
    return new Decoded(null, rejected);
  }

  /**
   * The batches verified so far on {@code chain} were stored: keep them and move its head (through
   * {@link ChainHeads#advance}, once).
   */
  public void commit(ChainId chain) {
    Optional<ChainHead> head = placer.commit(chain);
    head.ifPresent(h -> heads.advance(chain.agentId(), chain.instrumentId(), h));
  }

  /** Commits the chain of {@code accepted}: for callers that verify and store one at a time. */
  public void commit(Verdict.Accepted accepted) {
    Batch b = accepted.batch().batch();
    commit(new ChainId(b.agentId(), b.instrumentId()));
  }

  /** The write of what was verified on {@code chain} failed: forget it. */
  public void discard(ChainId chain) {
    placer.discard(chain);
  }
}
