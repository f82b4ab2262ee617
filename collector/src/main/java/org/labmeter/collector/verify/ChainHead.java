package org.labmeter.collector.verify;

import java.util.Objects;
import org.labmeter.wire.BatchHash;

/** The last accepted batch of one (agent, instrument) chain: the link the next batch must name. */
public record ChainHead(long sequence, BatchHash hash) {
  public ChainHead {
    if (sequence < 0) {
      throw new IllegalArgumentException("sequence must be >= 0, got " + sequence);
    }
    Objects.requireNonNull(hash, "hash");
  }
}
