package org.labmeter.agent.datadir;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.StandardOpenOption;

/**
 * Keeps two agents off one data directory. Two writers would seal two batches with the same
 * sequence, forking the chain that evaluators rely on, so the second one must refuse to start.
 */
public final class DataDirLock implements AutoCloseable {
  private final FileChannel channel;
  private final FileLock lock;

  private DataDirLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  /**
   * @throws IOException when another agent holds the directory, or the lock file cannot be opened
   */
  public static DataDirLock acquire(DataDir dataDir) throws IOException {
    FileChannel channel =
        FileChannel.open(dataDir.lockFile(), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    FileLock lock;
    try {
      lock = channel.tryLock();
    } catch (OverlappingFileLockException e) {
      lock = null;
    }
    if (lock == null) {
      channel.close();
      throw new IOException(
          "another agent is running on "
              + dataDir.root()
              + " ("
              + dataDir.lockFile()
              + " is held)");
    }
    return new DataDirLock(channel, lock);
  }

  @Override
  public void close() throws IOException {
    try {
      lock.release();
    } finally {
      channel.close();
    }
  }
}
