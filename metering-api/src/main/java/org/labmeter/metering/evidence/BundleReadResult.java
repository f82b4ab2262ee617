package org.labmeter.metering.evidence;

/** Reading a bundle file: the bundle, or why the file is not one. */
public sealed interface BundleReadResult {

  record Read(EvidenceBundle bundle) implements BundleReadResult {}

  /**
   * Not readable at all (missing, not JSON, wrong format, a field missing or of the wrong type).
   */
  record Unreadable(String reason) implements BundleReadResult {}
}
