package org.labmeter.collector.verify;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Read access to the batch records already in the store ({@code lm_batches}), for placing a batch
 * that arrives below its chain head. Implementations may block (HTTP, SQL) and may throw when the
 * store cannot be reached; the verifier then refuses to place the batch now (it is not
 * acknowledged, the agent sends it again later).
 */
public interface StoredBatches {

  /** No store to ask: only the verifier's in-memory window is known. */
  StoredBatches NONE =
      new StoredBatches() {
        @Override
        public boolean available() {
          return false;
        }

        @Override
        public Optional<ChainEntry> find(ChainId chain, long sequence, long sinceTsMillis) {
          return Optional.empty();
        }

        @Override
        public long chainStart(ChainId chain) {
          return Long.MIN_VALUE;
        }
      };

  /** Whether {@link #find} answers for the whole store; false for {@link #NONE}. */
  boolean available();

  /**
   * The stored batch of {@code chain} with {@code sequence} whose first sample is at or after
   * {@code sinceTsMillis} (the start of the chain's current run), with the batch decoded.
   */
  Optional<ChainEntry> find(ChainId chain, long sequence, long sinceTsMillis);

  /**
   * The stored batches of {@code chain} with sequences {@code fromSequence..toSequence}
   * (inclusive), as {@link #find} would answer each, in one read.
   */
  default List<ChainEntry> range(
      ChainId chain, long fromSequence, long toSequence, long sinceTsMillis) {
    List<ChainEntry> out = new ArrayList<>();
    for (long s = fromSequence; s <= toSequence; s++) {
      find(chain, s, sinceTsMillis).ifPresent(out::add);
    }
    return out;
  }

  /** Sequences {@code from..to}, inclusive, of one chain. */
  record Span(long from, long to) {}

  /**
   * {@link #range} for several chains, each with its own span and its own {@code since} (from
   * {@code sinceTsMillis}, {@link Long#MIN_VALUE} where absent), in as few reads as the store
   * allows. A chain with nothing stored maps to an empty list.
   */
  default Map<ChainId, List<ChainEntry>> ranges(
      Map<ChainId, Span> spans, Map<ChainId, Long> sinceTsMillis) {
    Map<ChainId, List<ChainEntry>> out = new LinkedHashMap<>();
    spans.forEach(
        (chain, span) ->
            out.put(
                chain,
                range(
                    chain,
                    span.from(),
                    span.to(),
                    sinceTsMillis.getOrDefault(chain, Long.MIN_VALUE))));
    return out;
  }

  /**
   * {@link #chainStart} for several chains, in as few reads as the store allows, each bounded
   * below: the newest genesis whose first sample is at or after the chain's {@code since} ({@link
   * Long#MIN_VALUE}: no bound, the whole store), {@link Long#MIN_VALUE} where there is none.
   */
  default Map<ChainId, Long> chainStarts(Map<ChainId, Long> sinceTsMillis) {
    Map<ChainId, Long> out = new LinkedHashMap<>();
    sinceTsMillis.forEach(
        (chain, since) -> {
          long start = chainStart(chain);
          out.put(chain, start >= since ? start : Long.MIN_VALUE);
        });
    return out;
  }

  /**
   * The first-sample time of the newest genesis (sequence 0, zero previous hash) stored for the
   * chain: records before it belong to an earlier run of an agent that lost its state. {@link
   * Long#MIN_VALUE} when there is none.
   */
  long chainStart(ChainId chain);
}
