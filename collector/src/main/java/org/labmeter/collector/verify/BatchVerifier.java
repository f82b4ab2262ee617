package org.labmeter.collector.verify;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.labmeter.wire.AgentPublicKey;
import org.labmeter.wire.Batch;
import org.labmeter.wire.BatchCodec;
import org.labmeter.wire.BatchHash;
import org.labmeter.wire.DecodeResult;
import org.labmeter.wire.SignedBatch;

/**
 * Decides whether a telemetry payload becomes evidence: it must decode, name the topic's agent and
 * instrument, carry a signature by the agent's enrolled key and no sample from the future. Its
 * place in the agent's hash chain decides whether it is stored as verified, stored as unverified,
 * or recognised as a retransmission and not stored again.
 *
 * <p>Pure Java and synchronous. Not safe for concurrent calls on the same chain: the collector
 * calls it for an agent only from that agent's worker thread, and calls {@link #commit} after the
 * batch was stored, so the head only moves past batches that really landed.
 */
public final class BatchVerifier {
  /** Recently stored batches per chain recognised as duplicates even below the head. */
  public static final int RECENT_WINDOW = 64;

  private final ChainHeads heads;
  private final Duration futureSkew;
  private final Duration lateAfter;
  private final Clock clock;
  private final ConcurrentMap<String, Map<Long, BatchHash>> recent = new ConcurrentHashMap<>();

  public BatchVerifier(ChainHeads heads, Duration futureSkew, Duration lateAfter, Clock clock) {
    this.heads = Objects.requireNonNull(heads, "heads");
    this.futureSkew = Objects.requireNonNull(futureSkew, "futureSkew");
    this.lateAfter = Objects.requireNonNull(lateAfter, "lateAfter");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * @param agentId the agent of the topic (the authenticated connection)
   * @param instrumentId the instrument of the topic
   * @param key the agent's enrolled public key
   * @param envelope the exact payload bytes
   */
  public Verdict verify(String agentId, String instrumentId, AgentPublicKey key, byte[] envelope) {
    DecodeResult decoded = BatchCodec.decode(envelope);
    if (decoded instanceof DecodeResult.Malformed m) {
      return new Verdict.Rejected(RejectReason.MALFORMED, m.reason());
    }
    if (decoded instanceof DecodeResult.UnsupportedVersion v) {
      return new Verdict.Rejected(
          RejectReason.UNSUPPORTED_VERSION, "envelope version " + v.version());
    }
    SignedBatch signed = ((DecodeResult.Decoded) decoded).signedBatch();
    Batch batch = signed.batch();
    if (!batch.agentId().equals(agentId)) {
      return new Verdict.Rejected(
          RejectReason.AGENT_MISMATCH,
          "envelope names agent " + batch.agentId() + ", topic agent " + agentId);
    }
    if (!batch.instrumentId().equals(instrumentId)) {
      return new Verdict.Rejected(
          RejectReason.INSTRUMENT_MISMATCH,
          "envelope names instrument "
              + batch.instrumentId()
              + ", topic instrument "
              + instrumentId);
    }
    if (!signed.verify(key)) {
      return new Verdict.Rejected(
          RejectReason.BAD_SIGNATURE, "signature does not verify with " + key.fingerprint());
    }
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
    Optional<ChainHead> head = heads.find(agentId, instrumentId);
    if (isDuplicate(agentId, instrumentId, signed, head)) {
      return new Verdict.Duplicate(signed);
    }
    return new Verdict.Accepted(signed, link(batch, head), late);
  }

  /** Records a stored batch: moves the head where its link says so and remembers its hash. */
  public void commit(Verdict.Accepted accepted) {
    Batch batch = accepted.batch().batch();
    Map<Long, BatchHash> window =
        recent.computeIfAbsent(
            key(batch.agentId(), batch.instrumentId()),
            k ->
                new LinkedHashMap<>() {
                  @Override
                  protected boolean removeEldestEntry(Map.Entry<Long, BatchHash> eldest) {
                    return size() > RECENT_WINDOW;
                  }
                });
    synchronized (window) {
      window.put(batch.sequence(), accepted.batch().hash());
    }
    if (accepted.link().advancesHead()) {
      heads.advance(
          batch.agentId(),
          batch.instrumentId(),
          new ChainHead(batch.sequence(), accepted.batch().hash()));
    }
  }

  private boolean isDuplicate(
      String agentId, String instrumentId, SignedBatch signed, Optional<ChainHead> head) {
    if (head.isEmpty()) {
      return false;
    }
    long seq = signed.batch().sequence();
    if (seq == head.get().sequence() && signed.hash().equals(head.get().hash())) {
      return true;
    }
    Map<Long, BatchHash> window = recent.get(key(agentId, instrumentId));
    if (window == null) {
      return false;
    }
    synchronized (window) {
      return signed.hash().equals(window.get(seq));
    }
  }

  private static ChainLink link(Batch batch, Optional<ChainHead> head) {
    long seq = batch.sequence();
    boolean genesis = seq == 0 && batch.previousHash().isZero();
    if (head.isEmpty()) {
      if (genesis) {
        return ChainLink.GENESIS;
      }
      return seq == 0 ? ChainLink.BROKEN : ChainLink.GAP;
    }
    ChainHead h = head.get();
    if (genesis) {
      return ChainLink.RESTARTED;
    }
    if (seq == h.sequence() + 1) {
      return batch.previousHash().equals(h.hash()) ? ChainLink.LINKED : ChainLink.BROKEN;
    }
    if (seq > h.sequence() + 1) {
      return ChainLink.GAP;
    }
    return ChainLink.STALE;
  }

  private static String key(String agentId, String instrumentId) {
    return agentId + '/' + instrumentId;
  }
}
