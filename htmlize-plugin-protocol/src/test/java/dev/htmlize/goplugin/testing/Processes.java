package dev.htmlize.goplugin.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** Process checks for tests. */
public final class Processes {
  private static final long POLL_MILLIS = 10;

  private Processes() {
  }

  /**
   * Whether a process is running. A process that has exited but is not yet reaped (a zombie) is not: once its host is
   * gone, a plugin's new parent is init, which may take its time to reap it, and {@link ProcessHandle#isAlive()}
   * counts zombies as alive.
   */
  public static boolean isRunning(long pid) {
    Path stat = Path.of("/proc", Long.toString(pid), "stat");
    if (Files.isDirectory(Path.of("/proc/self"))) {
      try {
        String text = Files.readString(stat);
        char state = text.charAt(text.lastIndexOf(')') + 2);
        return state != 'Z' && state != 'X';
      } catch (IOException e) {
        return false;
      }
    }
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }

  /**
   * Waits until a process has stopped running, polling every 10 ms: there is no event to wait on for a process that
   * is not our child.
   *
   * @return whether it stopped within the timeout
   */
  public static boolean awaitStopped(long pid, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (isRunning(pid)) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      Thread.sleep(POLL_MILLIS);
    }
    return true;
  }
}
