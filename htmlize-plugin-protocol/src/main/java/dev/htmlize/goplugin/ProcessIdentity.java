package dev.htmlize.goplugin;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A process as the kernel knows it: its pid and, where {@code /proc} tells it, its start time (field 22 of
 * {@code /proc/PID/stat}, clock ticks since boot). A pid alone can be reused once its process is gone; the two together
 * name one process for the life of the machine. This is how a plugin knows its host: the host passes its own identity
 * in {@link GoPluginEnv#HOST_PID} and {@link GoPluginEnv#HOST_START}, and the plugin watches that process from its
 * first instruction (by the time a JVM reaches {@code main}, a host killed at once has already left it re-parented,
 * so asking for the parent then would name the wrong process).
 *
 * @param pid   the process id
 * @param start the start time in clock ticks since boot, or empty where {@code /proc} does not say
 */
public record ProcessIdentity(long pid, OptionalLong start) {
  private static final Path PROC = Path.of("/proc");

  /** This process. */
  public static ProcessIdentity current() {
    return of(ProcessHandle.current().pid());
  }

  /** The process that has this pid now. */
  public static ProcessIdentity of(long pid) {
    return new ProcessIdentity(pid, startOf(pid));
  }

  /** The variables that tell a plugin who its host is: this process. */
  public static Map<String, String> hostEnvironment() {
    ProcessIdentity self = current();
    Map<String, String> env = new HashMap<>();
    env.put(GoPluginEnv.HOST_PID, Long.toString(self.pid()));
    self.start().ifPresent(start -> env.put(GoPluginEnv.HOST_START, Long.toString(start)));
    return env;
  }

  /**
   * The host named by {@link GoPluginEnv#HOST_PID} and {@link GoPluginEnv#HOST_START}, if the environment names one
   * (a go-plugin host other than this runtime's does not).
   */
  public static Optional<ProcessIdentity> hostFromEnvironment(Map<String, String> env) {
    String pid = env.get(GoPluginEnv.HOST_PID);
    if (pid == null || pid.isBlank()) {
      return Optional.empty();
    }
    try {
      String start = env.get(GoPluginEnv.HOST_START);
      return Optional.of(new ProcessIdentity(Long.parseLong(pid.strip()), start == null || start.isBlank()
          ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(start.strip()))));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** Whether this very process still runs: its pid is alive and, where known, started when this one did. */
  public boolean isAlive() {
    if (!ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
      return false;
    }
    if (start.isEmpty()) {
      return true;
    }
    OptionalLong now = startOf(pid);
    // A process that became a zombie or vanished between the two looks has no stat to read: gone.
    return now.isPresent() && now.getAsLong() == start.getAsLong();
  }

  /** The start time of a process from {@code /proc/PID/stat}, or empty where there is no such file. */
  static OptionalLong startOf(long pid) {
    Path stat = PROC.resolve(Long.toString(pid)).resolve("stat");
    try {
      String text = new String(Files.readAllBytes(stat), StandardCharsets.ISO_8859_1);
      // The command name (field 2) is in parentheses and may hold spaces and parentheses itself: count from the last
      // ')'. Field 3 comes right after it, so field 22 is the 20th one there.
      String[] fields = text.substring(text.lastIndexOf(')') + 2).split(" ");
      if (fields.length < 20 || "Z".equals(fields[0])) {
        return OptionalLong.empty();
      }
      return OptionalLong.of(Long.parseLong(fields[19]));
    } catch (IOException | RuntimeException e) {
      return OptionalLong.empty();
    }
  }
}
