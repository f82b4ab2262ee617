package org.labmeter.collector.verify;

import java.util.Objects;
import org.labmeter.wire.BatchHash;
import org.labmeter.wire.SignedBatch;

/**
 * What the collector knows of one stored batch of a chain: enough to check the links of its
 * neighbours, and, while it is unverified, the batch itself so that it can be written again as
 * verified once the gap before it closes.
 *
 * @param chainOk whether it was stored as verified (a genesis, or linked to its stored predecessor)
 * @param receivedAtMillis when the collector first received it; kept when it is written again
 * @param batch the batch, or {@code null} where only the link is kept
 */
public record ChainEntry(
    long sequence,
    BatchHash hash,
    BatchHash previousHash,
    boolean chainOk,
    long firstTsMillis,
    long lastTsMillis,
    long receivedAtMillis,
    SignedBatch batch) {

  public ChainEntry {
    Objects.requireNonNull(hash, "hash");
    Objects.requireNonNull(previousHash, "previousHash");
  }

  /** The entry of a batch about to be stored. */
  public static ChainEntry of(SignedBatch signed, boolean chainOk, long receivedAtMillis) {
    return new ChainEntry(
        signed.batch().sequence(),
        signed.hash(),
        signed.batch().previousHash(),
        chainOk,
        signed.batch().firstTimestampMillis(),
        signed.batch().lastTimestampMillis(),
        receivedAtMillis,
        signed);
  }

  /** The same entry marked verified. */
  ChainEntry verified() {
    return new ChainEntry(
        sequence, hash, previousHash, true, firstTsMillis, lastTsMillis, receivedAtMillis, batch);
  }

  /** The same entry without the batch. */
  ChainEntry linkOnly() {
    return batch == null
        ? this
        : new ChainEntry(
            sequence,
            hash,
            previousHash,
            chainOk,
            firstTsMillis,
            lastTsMillis,
            receivedAtMillis,
            null);
  }
}
