package org.labmeter.agent.outbox;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;
import org.labmeter.agent.datadir.DataDir;
import org.labmeter.agent.datadir.DurableFile;
import org.labmeter.wire.BatchHash;

/**
 * {@code chain/<instrument>.state}: the last sealed sequence and its hash, as three text lines. It
 * is written durably after each batch's outbox file, so after a crash it is at most one batch
 * behind the outbox, and recovery takes the later of the two.
 */
final class ChainStateFile {
  private final DataDir dataDir;

  ChainStateFile(DataDir dataDir) {
    this.dataDir = dataDir;
  }

  void write(String instrumentId, ChainState state) throws IOException {
    if (state.nextSequence() == 0) {
      return;
    }
    DurableFile.createDirectories(dataDir.chainDir());
    String text =
        "sequence="
            + (state.nextSequence() - 1)
            + "\nhash="
            + state.previousHash().toHex()
            + "\nlastSampleMillis="
            + state.lastSampleMillis()
            + "\n";
    DurableFile.write(
        dataDir.chainStateFile(instrumentId), text.getBytes(StandardCharsets.US_ASCII));
  }

  /**
   * @throws IOException when the file exists but cannot be read as a chain state; guessing would
   *     risk a fork, so the agent refuses to start instead
   */
  Optional<ChainState> read(String instrumentId) throws IOException {
    Path file = dataDir.chainStateFile(instrumentId);
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    Properties props = new Properties();
    props.load(new java.io.StringReader(Files.readString(file, StandardCharsets.US_ASCII)));
    try {
      long sequence = Long.parseLong(props.getProperty("sequence", "").trim());
      BatchHash hash = BatchHash.ofHex(props.getProperty("hash", "").trim());
      long lastSample = Long.parseLong(props.getProperty("lastSampleMillis", "").trim());
      return Optional.of(new ChainState(sequence + 1, hash, lastSample));
    } catch (IllegalArgumentException e) {
      throw new IOException(
          file
              + " is not a chain state ("
              + e.getMessage()
              + "); restore it from a backup, or remove it if the outbox holds this"
              + " instrument's newest batch",
          e);
    }
  }
}
