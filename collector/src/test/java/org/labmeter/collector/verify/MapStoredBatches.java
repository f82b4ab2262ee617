package org.labmeter.collector.verify;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.labmeter.wire.SignedBatch;

/** {@code lm_batches} as a map: what a test "stored", with the flag it was stored with. */
final class MapStoredBatches implements StoredBatches {
  private final Map<ChainId, TreeMap<Long, ChainEntry>> rows = new ConcurrentHashMap<>();

  /** Records what the sink would write for {@code accepted}: the batch and its relinked run. */
  void store(Verdict.Accepted accepted, long receivedAt) {
    put(ChainEntry.of(accepted.batch(), accepted.chainOk(), receivedAt));
    accepted.relinked().forEach(this::put);
  }

  private void put(ChainEntry e) {
    SignedBatch b = e.batch();
    rows.computeIfAbsent(
            new ChainId(b.batch().agentId(), b.batch().instrumentId()), c -> new TreeMap<>())
        .put(e.sequence(), e);
  }

  Map<Long, Boolean> chainOk(ChainId chain) {
    Map<Long, Boolean> out = new TreeMap<>();
    rows.getOrDefault(chain, new TreeMap<>()).forEach((seq, e) -> out.put(seq, e.chainOk()));
    return out;
  }

  @Override
  public boolean available() {
    return true;
  }

  @Override
  public Optional<ChainEntry> find(ChainId chain, long sequence, long sinceTsMillis) {
    ChainEntry e = rows.getOrDefault(chain, new TreeMap<>()).get(sequence);
    return e == null || e.firstTsMillis() < sinceTsMillis ? Optional.empty() : Optional.of(e);
  }

  @Override
  public long chainStart(ChainId chain) {
    return rows.getOrDefault(chain, new TreeMap<>()).values().stream()
        .filter(e -> e.sequence() == 0 && e.previousHash().isZero())
        .mapToLong(ChainEntry::firstTsMillis)
        .max()
        .orElse(Long.MIN_VALUE);
  }
}
