package org.labmeter.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.labmeter.wire.AgentPublicKey;
import org.labmeter.wire.BatchCodec;
import org.labmeter.wire.BatchHash;
import org.labmeter.wire.DecodeResult;
import org.labmeter.wire.SignedBatch;

/** What a verifier checks on one instrument's chain, as test assertions. */
final class ChainAssertions {
  private ChainAssertions() {}

  static SignedBatch decode(byte[] envelope) {
    DecodeResult result = BatchCodec.decode(envelope);
    assertThat(result).isInstanceOf(DecodeResult.Decoded.class);
    return ((DecodeResult.Decoded) result).signedBatch();
  }

  /**
   * Decodes the envelopes, folds duplicates (which must be byte-identical), and asserts sequences
   * 0..n-1 with every signature valid and every previous hash linking to the batch before.
   *
   * @return the batches in sequence order
   */
  static List<SignedBatch> assertUnbrokenChain(List<byte[]> envelopes, AgentPublicKey key) {
    TreeMap<Long, SignedBatch> bySequence = new TreeMap<>();
    for (byte[] envelope : envelopes) {
      SignedBatch batch = decode(envelope);
      SignedBatch before = bySequence.putIfAbsent(batch.batch().sequence(), batch);
      if (before != null) {
        assertThat(batch).as("a duplicate of batch %d", batch.batch().sequence()).isEqualTo(before);
      }
    }
    List<SignedBatch> chain = new ArrayList<>(bySequence.values());
    assertThat(bySequence.keySet())
        .as("sequences without a gap")
        .containsExactlyElementsOf(
            java.util.stream.LongStream.range(0, chain.size()).boxed().toList());
    BatchHash previous = BatchHash.ZERO;
    for (SignedBatch batch : chain) {
      assertThat(batch.verify(key)).as("signature of batch %d", batch.batch().sequence()).isTrue();
      assertThat(batch.batch().previousHash())
          .as("link of batch %d", batch.batch().sequence())
          .isEqualTo(previous);
      previous = batch.hash();
    }
    return chain;
  }
}
