package org.labmeter.agent.outbox;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.labmeter.agent.datadir.DurableFile;

/**
 * {@code outbox/<instrument>/acked}: every sequence up to this one is acknowledged. It is written
 * now and then, not at every PUBACK, so it may lag: after a crash the records above it are sent
 * again, and the collector drops the duplicates. It never runs ahead, so nothing is skipped.
 */
final class AckFile {
  static final String NAME = "acked";

  private AckFile() {}

  /** The acknowledged prefix, or -1 when nothing was recorded. */
  static long read(Path dir) throws IOException {
    Path file = dir.resolve(NAME);
    if (!Files.exists(file)) {
      return -1;
    }
    String text = Files.readString(file, StandardCharsets.US_ASCII).trim();
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      // Only costs duplicates: every record in the log is sent again.
      return -1;
    }
  }

  static void write(Path dir, long ackedThrough) throws IOException {
    DurableFile.write(dir.resolve(NAME), (ackedThrough + "\n").getBytes(StandardCharsets.US_ASCII));
  }
}
