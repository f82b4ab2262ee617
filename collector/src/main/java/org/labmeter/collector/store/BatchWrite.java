package org.labmeter.collector.store;

import java.util.Objects;
import org.labmeter.wire.SignedBatch;

/**
 * One accepted batch as the store receives it.
 *
 * @param chainOk whether the batch links to its chain head; also the samples' {@code verified} flag
 * @param receivedAtMillis when the collector received it
 */
public record BatchWrite(SignedBatch batch, boolean chainOk, long receivedAtMillis) {
  public BatchWrite {
    Objects.requireNonNull(batch, "batch");
  }
}
