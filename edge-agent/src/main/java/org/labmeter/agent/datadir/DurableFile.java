package org.labmeter.agent.datadir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;

/**
 * Writes a file so that after a crash or power loss it is either absent, or the old version, or the
 * complete new version; never a torn mix. The sequence is: write a temp file beside the target,
 * fsync it, rename it over the target atomically, fsync the directory so that the rename itself
 * survives.
 */
public final class DurableFile {
  /** Suffix of files being written; a leftover one is the trace of a crash and is ignored. */
  public static final String TEMP_SUFFIX = ".tmp";

  private static final Set<PosixFilePermission> OWNER_ONLY =
      EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);

  private DurableFile() {}

  /** Atomically replaces {@code target} with {@code content}. */
  public static void write(Path target, byte[] content) throws IOException {
    write(target, content, false);
  }

  /**
   * Atomically writes {@code content} to {@code target}, readable and writable by the owner only.
   * The permissions are set when the temp file is created, so the content is never readable by
   * others, not even for a moment.
   */
  public static void writeOwnerOnly(Path target, byte[] content) throws IOException {
    write(target, content, true);
  }

  private static void write(Path target, byte[] content, boolean ownerOnly) throws IOException {
    Path dir = target.toAbsolutePath().getParent();
    Path temp = dir.resolve(target.getFileName() + TEMP_SUFFIX);
    Files.deleteIfExists(temp);
    Set<StandardOpenOption> options =
        EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    FileAttribute<?>[] attributes =
        ownerOnly && supportsPosix(dir)
            ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_ONLY)}
            : new FileAttribute<?>[0];
    try (FileChannel channel = FileChannel.open(temp, options, attributes)) {
      ByteBuffer buffer = ByteBuffer.wrap(content);
      while (buffer.hasRemaining()) {
        channel.write(buffer);
      }
      channel.force(true);
    }
    try {
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.deleteIfExists(temp);
      throw e;
    }
    syncDirectory(dir);
  }

  /**
   * Creates {@code target} only when it does not exist yet, atomically and owner-only. The temp
   * file is hard-linked to the target name, which fails instead of replacing a file that appeared
   * in the meantime (a rename would silently overwrite it).
   *
   * @throws FileAlreadyExistsException when it exists
   */
  public static void createOwnerOnly(Path target, byte[] content) throws IOException {
    if (Files.exists(target)) {
      throw new FileAlreadyExistsException(target.toString());
    }
    Path dir = target.toAbsolutePath().getParent();
    Path staging = dir.resolve(target.getFileName() + ".new");
    writeOwnerOnly(staging, content);
    try {
      Files.createLink(target, staging);
    } catch (UnsupportedOperationException e) {
      Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(staging);
    }
    syncDirectory(dir);
  }

  /** Makes directory entries (creations, renames, deletions) durable. */
  public static void syncDirectory(Path dir) throws IOException {
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException e) {
      // Some file systems refuse to open a directory; their renames are durable on their own.
      if (Files.isDirectory(dir)) {
        return;
      }
      throw e;
    }
  }

  /** Creates a directory and its parents, owner-only for the levels it creates itself. */
  public static void createDirectories(Path dir) throws IOException {
    if (Files.isDirectory(dir)) {
      return;
    }
    Path absolute = dir.toAbsolutePath();
    Path parent = absolute.getParent();
    if (parent != null) {
      createDirectories(parent);
    }
    try {
      if (supportsPosix(parent)) {
        Files.createDirectory(
            absolute,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      } else {
        Files.createDirectory(absolute);
      }
    } catch (FileAlreadyExistsException e) {
      if (!Files.isDirectory(absolute)) {
        throw e;
      }
    }
  }

  private static boolean supportsPosix(Path dir) {
    return dir != null && dir.getFileSystem().supportedFileAttributeViews().contains("posix");
  }
}
