package org.labmeter.wire;

/**
 * The outcome of reading an envelope: a batch, or a value that says why not. Bad payloads are
 * values, not exceptions, so a receiver can count and quarantine them without unwinding.
 */
public sealed interface DecodeResult {

  /** Bytes that parse as a v1 envelope; the signature is not checked yet. */
  record Decoded(SignedBatch signedBatch) implements DecodeResult {}

  /** A well-formed header with a version this receiver does not know. */
  record UnsupportedVersion(int version) implements DecodeResult {}

  /** Anything else: wrong magic, truncated, trailing bytes, values outside the v1 ranges. */
  record Malformed(String reason) implements DecodeResult {}
}
