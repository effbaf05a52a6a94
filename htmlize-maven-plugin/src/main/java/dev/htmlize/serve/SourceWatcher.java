package dev.htmlize.serve;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.List;
import java.util.Map;

/**
 * Watches directory trees for changes, with the JDK's {@link WatchService} (inotify on Linux), which watches one
 * directory at a time: every directory of each tree is registered, and a directory created later is registered when
 * its creation is seen. A root that does not exist yet is watched for through its nearest existing parent. What
 * changed is the files modified in place, or that something else did: the engine's incremental plan finds the rest
 * from the files. Events that come within {@link #QUIET} of each other are one change (an editor's save is often a
 * truncation and a write), up to {@link #MOST_WAIT}.
 */
final class SourceWatcher implements AutoCloseable {
  /** How long no event must come for a burst of events to be over. */
  static final Duration QUIET = Duration.ofMillis(8);
  /** The longest a burst is waited for: a constant flood of changes still renders this often. */
  static final Duration MOST_WAIT = Duration.ofMillis(200);
  private final WatchService service;
  private final List<Path> roots;
  private final Map<WatchKey, Path> directories = new HashMap<>();

  SourceWatcher(List<Path> roots) throws IOException {
    this.service = FileSystems.getDefault().newWatchService();
    this.roots = roots.stream().map(p -> p.toAbsolutePath().normalize()).distinct().toList();
    registerRoots();
  }

  private void registerRoots() throws IOException {
    for (Path root : roots) {
      if (Files.isDirectory(root)) {
        // A linked root is walked where it leads (its changes then come under that path, and render in full).
        registerTree(root.toRealPath());
      } else {
        Path parent = root.getParent();
        while (parent != null && !Files.isDirectory(parent)) {
          parent = parent.getParent();
        }
        if (parent != null) {
          register(parent);
        }
      }
    }
  }

  private void registerTree(Path root) throws IOException {
    Files.walkFileTree(root, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) throws IOException {
        if (!dir.equals(root) && dir.getFileName().toString().startsWith(".")) {
          return FileVisitResult.SKIP_SUBTREE;
        }
        register(dir);
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult visitFileFailed(Path file, IOException e) {
        return FileVisitResult.CONTINUE;
      }
    });
  }

  private void register(Path dir) throws IOException {
    WatchKey key = dir.register(service, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_DELETE,
        StandardWatchEventKinds.ENTRY_MODIFY);
    directories.put(key, dir);
  }

  /**
   * What changed: the files modified in place, and whether anything else did (a file or directory came or went, events
   * were lost).
   */
  record Change(Set<Path> modified, boolean structural) {
  }

  /**
   * Waits until something changed under a root, then takes every change already reported, so that a burst of changes
   * (an editor's several writes, a checkout of another branch) is one change.
   *
   * @return what changed, or {@code null} when the watcher was closed
   */
  Change awaitChange() throws InterruptedException {
    Set<Path> modified = new HashSet<>();
    boolean[] structural = {false};
    try {
      WatchKey key = service.take();
      long until = System.nanoTime() + MOST_WAIT.toNanos();
      while (key != null) {
        handle(key, modified, structural);
        // A save is often several writes (truncate, then write): they make one change if they come close together.
        key = System.nanoTime() < until ? service.poll(QUIET.toMillis(), TimeUnit.MILLISECONDS) : service.poll();
      }
      registerRoots();
      return new Change(modified, structural[0]);
    } catch (ClosedWatchServiceException e) {
      return null;
    } catch (IOException e) {
      // A directory gone while it was registered: the next change registers what is there.
      return new Change(modified, true);
    }
  }

  private void handle(WatchKey key, Set<Path> modified, boolean[] structural) {
    try {
      events(key, modified, structural);
    } catch (IOException e) {
      structural[0] = true; // A directory that came and went at once: the render looks at what is there.
    } finally {
      if (!key.reset()) {
        directories.remove(key);
      }
    }
  }

  private void events(WatchKey key, Set<Path> modified, boolean[] structural) throws IOException {
    Path dir = directories.get(key);
    for (WatchEvent<?> event : key.pollEvents()) {
      if (dir == null || event.kind() != StandardWatchEventKinds.ENTRY_MODIFY) {
        structural[0] = true;
      } else {
        modified.add(dir.resolve((Path) event.context()));
      }
      if (dir != null && event.kind() == StandardWatchEventKinds.ENTRY_CREATE) {
        Path created = dir.resolve((Path) event.context());
        if (Files.isDirectory(created)) {
          registerTree(created);
        }
      }
    }
  }

  @Override
  public void close() throws IOException {
    service.close();
  }
}
