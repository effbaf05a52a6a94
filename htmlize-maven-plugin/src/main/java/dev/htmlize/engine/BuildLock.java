package dev.htmlize.engine;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One build of an execution at a time: an exclusive lock on {@code .lock} in its work directory, held from before the
 * state is read until after it is saved, so that two builds of one project at once (two terminals, an IDE and a
 * terminal) run one after the other instead of racing on the same pages and state. While a build writes, a marker
 * file says so; a build that finds the marker of one that died (killed while writing) first sweeps the temporary files
 * it left in the output and work directories.
 */
final class BuildLock implements AutoCloseable {
  private static final String LOCK = ".lock";
  private static final String WRITING = "writing";
  /**
   * File locks belong to the whole JVM: a second lock on the same file from this JVM fails rather than waits. So builds
   * in this JVM (the executions of a reactor's projects, tests) first take a lock of this JVM's for the directory.
   */
  private static final ConcurrentMap<Path, ReentrantLock> IN_THIS_JVM = new ConcurrentHashMap<>();

  private final Path workDirectory;
  private final ReentrantLock local;
  private final FileChannel channel;
  private final FileLock lock;
  private boolean writing;

  private BuildLock(Path workDirectory, ReentrantLock local, FileChannel channel, FileLock lock) {
    this.workDirectory = workDirectory;
    this.local = local;
    this.channel = channel;
    this.lock = lock;
  }

  /**
   * Takes the lock, waiting for another build of the same execution to finish, and sweeps what a killed build left.
   */
  static BuildLock acquire(Path workDirectory, Path outputDirectory, EngineLog log) throws IOException {
    Files.createDirectories(workDirectory);
    ReentrantLock local = IN_THIS_JVM.computeIfAbsent(workDirectory, k -> new ReentrantLock());
    if (!local.tryLock()) {
      log.info("htmlize: waiting for another build of this execution in this JVM to finish");
      local.lock();
    }
    FileChannel channel = null;
    try {
      channel = FileChannel.open(workDirectory.resolve(LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      FileLock lock = channel.tryLock();
      if (lock == null) {
        log.info("htmlize: waiting for another build of this execution to finish (it holds "
            + workDirectory.resolve(LOCK) + ")");
        lock = channel.lock();
      }
      BuildLock held = new BuildLock(workDirectory, local, channel, lock);
      held.sweepAfterKilledBuild(outputDirectory, log);
      return held;
    } catch (IOException | RuntimeException e) {
      if (channel != null) {
        channel.close();
      }
      local.unlock();
      throw e;
    }
  }

  private void sweepAfterKilledBuild(Path outputDirectory, EngineLog log) throws IOException {
    if (!Files.exists(workDirectory.resolve(WRITING))) {
      return;
    }
    int removed = OutputFiles.sweepTemporaryFiles(outputDirectory) + OutputFiles.sweepTemporaryFiles(workDirectory);
    log.info("htmlize: the last build was stopped while writing; removed " + removed + " temporary "
        + (removed == 1 ? "file" : "files") + " it left");
    Files.deleteIfExists(workDirectory.resolve(WRITING));
  }

  /** Marks the start of writes: a build killed from now on leaves the marker for the next one. */
  synchronized void writing() throws IOException {
    if (!writing) {
      Files.newOutputStream(workDirectory.resolve(WRITING), StandardOpenOption.CREATE, StandardOpenOption.WRITE)
          .close();
      writing = true;
    }
  }

  /** Ends the writes (whatever was not written was cleaned up by its writer) and lets the next build in. */
  @Override
  public void close() throws IOException {
    try {
      if (writing) {
        Files.deleteIfExists(workDirectory.resolve(WRITING));
      }
    } finally {
      try {
        lock.release();
        channel.close();
      } finally {
        local.unlock();
      }
    }
  }
}
