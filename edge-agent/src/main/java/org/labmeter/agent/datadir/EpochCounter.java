package org.labmeter.agent.datadir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The agent's boot counter. Every batch carries the epoch it was made in, so a receiver can tell a
 * restart (new epoch, chain continues) from a replay, and a clock jump after a reboot is explained.
 * The new value is on disk before any batch of the new boot is sealed.
 */
public final class EpochCounter {
  /** The wire format holds the epoch in an unsigned 32-bit field. */
  public static final long MAX_EPOCH = 0xFFFF_FFFFL;

  private EpochCounter() {}

  /** True when an agent has booted on this directory before. */
  public static boolean exists(DataDir dataDir) {
    return Files.exists(dataDir.epochFile());
  }

  /** The last epoch written, or 0 when the agent never booted here. */
  public static long current(DataDir dataDir) throws IOException {
    Path file = dataDir.epochFile();
    if (!Files.exists(file)) {
      return 0;
    }
    String text = Files.readString(file, StandardCharsets.US_ASCII).trim();
    try {
      long value = Long.parseLong(text);
      if (value < 0 || value > MAX_EPOCH) {
        throw new NumberFormatException("out of range");
      }
      return value;
    } catch (NumberFormatException e) {
      throw new IOException(file + " holds '" + text + "', not an epoch number 0.." + MAX_EPOCH, e);
    }
  }

  /** Increments the counter durably and returns the new epoch of this boot. */
  public static long increment(DataDir dataDir) throws IOException {
    long next = current(dataDir) + 1;
    if (next > MAX_EPOCH) {
      throw new IOException(dataDir.epochFile() + " reached the largest epoch " + MAX_EPOCH);
    }
    DurableFile.write(dataDir.epochFile(), (next + "\n").getBytes(StandardCharsets.US_ASCII));
    return next;
  }
}
