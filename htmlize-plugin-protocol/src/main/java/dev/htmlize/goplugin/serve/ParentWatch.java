package dev.htmlize.goplugin.serve;

import java.time.Duration;
import java.util.Optional;

/**
 * Ends the plugin when its host dies. go-plugin has no such mechanism (a Go plugin usually dies of SIGPIPE on its
 * next log line), and end of file on stdin is no signal, because a go-plugin host hands the plugin its own stdin,
 * which may be {@code /dev/null}. So a daemon thread polls the parent process: once it is gone, or this process has
 * been re-parented, the plugin shuts down.
 */
final class ParentWatch {
  private ParentWatch() {
  }

  /**
   * Starts watching.
   *
   * @param onDeath run once, on the watcher thread, when the parent is gone
   */
  static void start(Duration interval, Runnable onDeath) {
    Optional<ProcessHandle> parent = ProcessHandle.current().parent();
    Thread watcher = new Thread(() -> {
      while (parent.map(ProcessHandle::isAlive).orElse(false) && isStillParent(parent.get())) {
        try {
          Thread.sleep(interval.toMillis());
        } catch (InterruptedException e) {
          return;
        }
      }
      onDeath.run();
    }, "plugin-parent-watch");
    watcher.setDaemon(true);
    watcher.start();
  }

  private static boolean isStillParent(ProcessHandle parent) {
    return ProcessHandle.current().parent().map(p -> p.pid() == parent.pid()).orElse(false);
  }
}
