package dev.htmlize.goplugin.serve;

import dev.htmlize.goplugin.DaemonThreads;
import dev.htmlize.goplugin.ProcessIdentity;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * Ends the plugin when its host dies. go-plugin has no such mechanism (a Go plugin usually dies of SIGPIPE on its
 * next log line), and end of file on stdin is no signal, because a go-plugin host hands the plugin its own stdin,
 * which may be {@code /dev/null}. So a daemon thread polls the host: the process named by
 * {@link dev.htmlize.goplugin.GoPluginEnv#HOST_PID} (and its start time), which this runtime's hosts pass, or else the
 * parent process as it is when the watch starts (then being re-parented also means the host is gone). A host that is
 * already gone when the watch starts ends the plugin at once, on the caller's thread.
 */
final class HostWatch {
  private HostWatch() {
  }

  /**
   * Starts watching.
   *
   * @param onDeath run once when the host is gone; it must not depend on writing anywhere (the host's end of stderr
   *                may be closed)
   */
  static void start(Map<String, String> environment, Duration interval, Runnable onDeath) {
    BooleanSupplier hostAlive = hostAlive(environment);
    if (!hostAlive.getAsBoolean()) {
      onDeath.run();
      return;
    }
    DaemonThreads.start("plugin-host-watch", () -> {
      while (hostAlive.getAsBoolean()) {
        try {
          Thread.sleep(interval.toMillis());
        } catch (InterruptedException e) {
          return;
        }
      }
      onDeath.run();
    });
  }

  private static BooleanSupplier hostAlive(Map<String, String> environment) {
    Optional<ProcessIdentity> named = ProcessIdentity.hostFromEnvironment(environment);
    if (named.isPresent()) {
      ProcessIdentity host = named.get();
      return host::isAlive;
    }
    Optional<ProcessHandle> parent = ProcessHandle.current().parent();
    if (parent.isEmpty()) {
      return () -> false;
    }
    ProcessIdentity host = ProcessIdentity.of(parent.get().pid());
    return () -> host.isAlive() && ProcessHandle.current().parent().map(p -> p.pid() == host.pid()).orElse(false);
  }
}
