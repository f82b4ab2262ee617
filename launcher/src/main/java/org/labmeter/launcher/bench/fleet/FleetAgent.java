package org.labmeter.launcher.bench.fleet;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import org.labmeter.wire.Ed25519Signer;

/**
 * One simulated agent of the fleet benchmark, derived from its index alone, so that the load
 * generator and the collector side (two JVMs) agree on ids, keys and secrets without sharing files.
 * Benchmark use only: the keys are predictable by construction.
 */
record FleetAgent(int index, String agentId, String instrumentId, String secret) {

  static FleetAgent of(int index) {
    return new FleetAgent(
        index, String.format("fa%05d", index), String.format("fi%05d", index), "bench-" + index);
  }

  Ed25519Signer key() {
    try {
      byte[] seed =
          MessageDigest.getInstance("SHA-256")
              .digest(("labmeter-bench-fleet/" + index).getBytes(StandardCharsets.US_ASCII));
      return Ed25519Signer.fromSeed(seed);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every Java runtime", e);
    }
  }
}
