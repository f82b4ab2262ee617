package org.labmeter.metering.ledger;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One immutable version of a closed period: the ledger rows it was built from, as they were, and a
 * hash over them. Version 1 is written when the period closes; a correction adds version n + 1 with
 * its reason and author, and no version is ever changed.
 *
 * @param hash {@link #hashOf(String, int, List)} of the rows
 */
public record Snapshot(
    String periodId,
    int version,
    String reason,
    String author,
    Instant createdAt,
    String hash,
    List<LedgerDay> rows) {

  public Snapshot {
    Objects.requireNonNull(periodId, "periodId");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(author, "author");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(hash, "hash");
    rows = List.copyOf(rows);
  }

  /**
   * SHA-256 over the period id, the version and each row's hash in order (instrument, then day),
   * one per line; anyone holding the rows can recompute it.
   */
  public static String hashOf(String periodId, int version, List<LedgerDay> rows) {
    StringBuilder b = new StringBuilder(periodId).append('|').append(version);
    for (LedgerDay d : rows) {
      b.append('\n').append(d.rowHash());
    }
    return LedgerDay.sha256(b.toString());
  }

  /** Per-instrument totals: the sum of the instrument's rows. */
  public Map<String, LedgerTotals> totalsByInstrument() {
    Map<String, LedgerTotals> out = new LinkedHashMap<>();
    for (LedgerDay d : rows) {
      out.merge(d.instrumentId(), d.totals(), LedgerTotals::plus);
    }
    return out;
  }

  /** The rows of one instrument. */
  public List<LedgerDay> rowsOf(String instrumentId) {
    return rows.stream().filter(d -> d.instrumentId().equals(instrumentId)).toList();
  }
}
