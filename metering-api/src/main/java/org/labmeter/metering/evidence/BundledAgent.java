package org.labmeter.metering.evidence;

import java.util.Objects;

/**
 * An agent whose batches the bundle holds, with the public key the registry enrolled for it.
 *
 * @param publicKeyBase64 the 32-byte Ed25519 key, base64; kept as text so that a damaged key is
 *     reported by the verifier instead of making the bundle unreadable
 */
public record BundledAgent(String id, String publicKeyBase64) {
  public BundledAgent {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(publicKeyBase64, "publicKeyBase64");
  }
}
