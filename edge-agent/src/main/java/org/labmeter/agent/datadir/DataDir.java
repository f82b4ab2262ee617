package org.labmeter.agent.datadir;

import java.nio.file.Path;
import java.util.Objects;

/**
 * The layout of an agent's data directory: everything that must survive a restart lives here, so
 * that backing up or wiping one directory backs up or resets one agent.
 *
 * <pre>
 * agent.key                      base64 of the 32-byte Ed25519 private key, rw-------
 * epoch                          boot counter, decimal
 * lock                           held while an agent runs on this directory
 * outbox/&lt;instrument&gt;/*.seg     log of signed batches not yet acknowledged by the broker
 * chain/&lt;instrument&gt;.state       last sealed sequence and hash of each instrument's chain
 * </pre>
 */
public record DataDir(Path root) {

  public DataDir {
    Objects.requireNonNull(root, "root");
    root = root.toAbsolutePath().normalize();
  }

  public Path keyFile() {
    return root.resolve("agent.key");
  }

  public Path epochFile() {
    return root.resolve("epoch");
  }

  public Path lockFile() {
    return root.resolve("lock");
  }

  public Path outboxDir() {
    return root.resolve("outbox");
  }

  public Path outboxDir(String instrumentId) {
    return outboxDir().resolve(instrumentId);
  }

  public Path chainDir() {
    return root.resolve("chain");
  }

  public Path chainStateFile(String instrumentId) {
    return chainDir().resolve(instrumentId + ".state");
  }
}
