package org.labmeter.wire;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Objects;

/**
 * A batch as it travels: the decoded content plus the exact envelope bytes (body followed by the
 * 64-byte Ed25519 signature). The envelope bytes are what is stored as evidence and what the next
 * batch's previous-hash commits to.
 */
public final class SignedBatch {
  private final Batch batch;
  private final byte[] envelope;
  private final BatchHash hash;

  SignedBatch(Batch batch, byte[] envelope) {
    this.batch = Objects.requireNonNull(batch);
    this.envelope = envelope;
    this.hash = BatchHash.digest(envelope);
  }

  public Batch batch() {
    return batch;
  }

  /** A copy of the exact bytes on the wire. */
  public byte[] envelope() {
    return envelope.clone();
  }

  /** The exact bytes on the wire as a read-only view: no copy, for writing them out. */
  public ByteBuffer envelopeView() {
    return ByteBuffer.wrap(envelope).asReadOnlyBuffer();
  }

  /** The envelope itself, not a copy: for checks inside this package. */
  byte[] envelopeBytes() {
    return envelope;
  }

  public int envelopeLength() {
    return envelope.length;
  }

  /** Length of the signed part: everything but the trailing signature. */
  public int bodyLength() {
    return envelope.length - Ed25519Signer.SIGNATURE_SIZE;
  }

  /** SHA-256 of the whole envelope: the value the next batch carries as its previous hash. */
  public BatchHash hash() {
    return hash;
  }

  /** Checks the signature against the agent's enrolled public key. */
  public boolean verify(AgentPublicKey key) {
    return key.verify(envelope, 0, bodyLength(), envelope, bodyLength());
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SignedBatch other && Arrays.equals(envelope, other.envelope);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(envelope);
  }

  @Override
  public String toString() {
    return "SignedBatch[agent="
        + batch.agentId()
        + ", instrument="
        + batch.instrumentId()
        + ", epoch="
        + batch.epoch()
        + ", seq="
        + batch.sequence()
        + ", samples="
        + batch.samples().size()
        + ", hash="
        + hash
        + "]";
  }
}
