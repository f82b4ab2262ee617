package org.labmeter.metering.ledger;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.HexFormat;
import java.util.Objects;

/**
 * One instrument's UTC day as the derivation and attribution engines computed it, with what it was
 * computed by. {@link #rowHash()} covers every field but {@code computedAt}, so recomputing an
 * unchanged day gives the same hash and a snapshot can prove which rows it holds.
 *
 * @param deriveVersion the state derivation's algorithm version
 * @param attributionVersion the attribution engine's algorithm version
 * @param profileHash parameter hash of the derivation profile in force at the day's start
 */
public record LedgerDay(
    String instrumentId,
    LocalDate date,
    LedgerTotals totals,
    String deriveVersion,
    String attributionVersion,
    String profileHash,
    Instant computedAt) {

  public LedgerDay {
    Objects.requireNonNull(instrumentId, "instrumentId");
    Objects.requireNonNull(date, "date");
    Objects.requireNonNull(totals, "totals");
    Objects.requireNonNull(deriveVersion, "deriveVersion");
    Objects.requireNonNull(attributionVersion, "attributionVersion");
    Objects.requireNonNull(profileHash, "profileHash");
    Objects.requireNonNull(computedAt, "computedAt");
  }

  /**
   * One line of text naming every hashed field, e.g. {@code
   * nmr-1|2026-03-02|0,...|lm-derive/1|...}.
   */
  public String canonicalText() {
    StringBuilder b = new StringBuilder(instrumentId).append('|').append(date).append('|');
    long[] v = totals.toArray();
    for (int i = 0; i < v.length; i++) {
      b.append(i == 0 ? "" : ",").append(v[i]);
    }
    return b.append('|')
        .append(deriveVersion)
        .append('|')
        .append(attributionVersion)
        .append('|')
        .append(profileHash)
        .toString();
  }

  /** SHA-256 of {@link #canonicalText()}, lower-case hex. */
  public String rowHash() {
    return sha256(canonicalText());
  }

  static String sha256(String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
