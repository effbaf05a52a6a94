package dev.htmlize.goplugin;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A private ({@code 0700}) directory for unix sockets, the one place where the host and the plugin side make them.
 * Its name holds the pid of the process that made it ({@code plugin-PID-RANDOM}), and that process holds a lock on
 * its {@code .lock} file while it lives (the kernel drops the lock when the process dies, however it dies). So a later
 * process can tell a directory whose owner was killed, even when the pid was given again to another process, and
 * {@link #sweep} removes it with the sockets left in it.
 *
 * <p>Thread-safe.
 */
public final class SocketDirectory implements AutoCloseable {
  /** The start of every such directory's name; what {@link #sweep} looks for. */
  public static final String PREFIX = "plugin-";
  /** The longest unix socket path the platforms allow ({@code sun_path}: 104 bytes on BSDs, 108 on Linux). */
  public static final int SOCKET_PATH_LIMIT = 104;
  private static final String LOCK = ".lock";
  private static final Path FALLBACK_PARENT = Path.of("/tmp");
  /** The longest name of such a directory: {@code plugin-}, a pid, {@code -} and a random unsigned long. */
  private static final int NAME_ROOM = PREFIX.length() + 10 + 1 + 20;

  private final Path path;
  private final FileChannel lockChannel;
  private boolean closed;

  private SocketDirectory(Path path, FileChannel lockChannel) {
    this.path = path;
    this.lockChannel = lockChannel;
  }

  /**
   * Makes a new private directory under {@code parent} (or under {@code /tmp} when a socket there, with a name of
   * {@code socketNameRoom} bytes, would be too long a path), after sweeping what dead processes left there.
   */
  public static SocketDirectory create(Path parent, int socketNameRoom) throws IOException {
    Path under = parent.toAbsolutePath();
    if (under.toString().getBytes(StandardCharsets.UTF_8).length + 1 + NAME_ROOM + 1 + socketNameRoom
        >= SOCKET_PATH_LIMIT) {
      under = FALLBACK_PARENT;
    }
    sweep(under);
    String prefix = PREFIX + ProcessHandle.current().pid() + "-";
    Path dir;
    try {
      dir = Files.createTempDirectory(under, prefix,
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    } catch (UnsupportedOperationException e) {
      dir = Files.createTempDirectory(under, prefix);
    }
    FileChannel channel = null;
    try {
      // Locked under another name, then renamed: a sweeper that finds the lock file always finds it held.
      Path unlocked = dir.resolve(LOCK + "-new");
      channel = FileChannel.open(unlocked, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
      channel.lock();
      Files.move(unlocked, dir.resolve(LOCK), StandardCopyOption.ATOMIC_MOVE);
      return new SocketDirectory(dir, channel);
    } catch (IOException | RuntimeException e) {
      if (channel != null) {
        channel.close();
      }
      deleteTree(dir);
      throw e;
    }
  }

  /** The directory. */
  public Path path() {
    return path;
  }

  /** Removes the directory with everything in it, and lets go of its lock. Idempotent. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    deleteTree(path);
    try {
      lockChannel.close();
    } catch (IOException e) {
      // Closing drops the lock; the file is gone already.
    }
  }

  /**
   * Removes the directories under {@code parent} whose owner is gone: its lock is free, or it has none and its pid
   * runs no process. Directories of this process and of live ones, other users' and names of other shapes are left
   * alone.
   *
   * @return how many were removed
   */
  public static int sweep(Path parent) {
    List<Path> candidates = new ArrayList<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(parent, PREFIX + "*")) {
      entries.forEach(candidates::add);
    } catch (IOException | RuntimeException e) {
      return 0;
    }
    long self = ProcessHandle.current().pid();
    int removed = 0;
    for (Path dir : candidates) {
      long owner = ownerPid(dir.getFileName().toString());
      if (owner <= 0 || owner == self || !Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
        continue;
      }
      if (ownerIsGone(dir, owner)) {
        deleteTree(dir);
        removed++;
      }
    }
    return removed;
  }

  /**
   * For a plugin whose host died without cleaning up: removes the sockets in the directory the host made for it
   * ({@code PLUGIN_UNIX_SOCKET_DIR}), its lock file, and the directory itself if nothing else is left. Only a
   * directory with a lock file, as this class makes them, is touched; no regular file but the lock is removed.
   */
  public static void removeLeftByDeadHost(Path dir) {
    if (dir == null || !Files.isRegularFile(dir.resolve(LOCK), LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> entries = Files.list(dir)) {
      for (Path entry : entries.toList()) {
        if (isSocket(entry) || entry.getFileName().toString().equals(LOCK)) {
          Files.deleteIfExists(entry);
        }
      }
      Files.deleteIfExists(dir);
    } catch (IOException | RuntimeException e) {
      // What is left is swept by the host's next start.
    }
  }

  /** Whether a path is a unix socket (not followed through a link). */
  public static boolean isSocket(Path path) {
    try {
      int mode = (Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS);
      return (mode & 0170000) == 0140000;
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      return false;
    }
  }

  /** The pid in a name {@code plugin-PID-…}, or 0 for a name of another shape. */
  static long ownerPid(String name) {
    if (!name.startsWith(PREFIX)) {
      return 0;
    }
    int end = name.indexOf('-', PREFIX.length());
    if (end <= PREFIX.length()) {
      return 0;
    }
    try {
      return Long.parseLong(name.substring(PREFIX.length(), end));
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  private static boolean ownerIsGone(Path dir, long owner) {
    Path lock = dir.resolve(LOCK);
    if (!Files.exists(lock, LinkOption.NOFOLLOW_LINKS)) {
      // Made by a process that does not lock (a plugin in another language), or being made right now.
      return !ProcessHandle.of(owner).map(ProcessHandle::isAlive).orElse(false);
    }
    try (FileChannel channel = FileChannel.open(lock, StandardOpenOption.WRITE)) {
      FileLock held = channel.tryLock();
      if (held == null) {
        return false;
      }
      held.release();
      return true;
    } catch (NoSuchFileException e) {
      return false;
    } catch (IOException | OverlappingFileLockException e) {
      // Another user's directory, or one this JVM holds: not ours to judge.
      return false;
    }
  }

  /** Deletes a tree without following links; best effort. */
  public static void deleteTree(Path root) {
    if (root == null || !Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      paths.sorted(Comparator.reverseOrder()).forEach(path -> {
        try {
          Files.deleteIfExists(path);
        } catch (IOException e) {
          // Best effort: the next sweep takes what is left.
        }
      });
    } catch (IOException | RuntimeException e) {
      // As above.
    }
  }
}
