package dev.htmlize.goplugin.host;

import dev.htmlize.goplugin.DaemonThreads;
import dev.htmlize.goplugin.LogLevel;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A launched plugin process and the two daemon threads that read its pipes: stdout (the handshake line, then
 * drained so that the plugin never blocks on it) and stderr (parsed into log entries). Stdin is {@code /dev/null}:
 * a plugin has no business reading the build's terminal.
 */
final class PluginProcess {
  private static final int STDERR_TAIL_LINES = 20;
  private static final int STDERR_TAIL_CHARS = 500;

  private final String name;
  private final Process process;
  private final PluginLogger logger;
  private final CompletableFuture<String> firstLine = new CompletableFuture<>();
  private final CompletableFuture<Void> stdoutDone = new CompletableFuture<>();
  private final CompletableFuture<Void> stderrDone = new CompletableFuture<>();
  private final Deque<String> stderrTail = new ArrayDeque<>();

  private PluginProcess(String name, Process process, PluginLogger logger) {
    this.name = name;
    this.process = process;
    this.logger = logger;
  }

  static PluginProcess launch(ClientConfig config, Map<String, String> environment) throws IOException {
    ProcessBuilder builder = new ProcessBuilder(config.command())
        .redirectInput(ProcessBuilder.Redirect.from(new File(isWindows() ? "NUL" : "/dev/null")))
        .redirectOutput(ProcessBuilder.Redirect.PIPE)
        .redirectError(ProcessBuilder.Redirect.PIPE);
    config.workingDirectory().ifPresent(dir -> builder.directory(dir.toFile()));
    builder.environment().clear();
    builder.environment().putAll(environment);
    PluginProcess plugin = new PluginProcess(config.name(), builder.start(), config.logger());
    plugin.startReaders();
    return plugin;
  }

  private void startReaders() {
    String label = name + "-" + process.pid();
    DaemonThreads.start("plugin-stdout-" + label, () -> readStdout(process.getInputStream()));
    DaemonThreads.start("plugin-stderr-" + label, () -> readStderr(process.getErrorStream()));
  }

  private void readStdout(InputStream in) {
    try (in) {
      LineReader.read(in, LineReader.DEFAULT_LIMIT, (line, fragment) -> {
        if (!firstLine.isDone()) {
          firstLine.complete(line);
        } else {
          log(new LogEntry(LogLevel.DEBUG, line, Map.of("stream", "stdout"), false));
        }
      });
    } catch (IOException | UncheckedIOException e) {
      // The pipe closes when the process dies; there is nothing more to read.
    } finally {
      firstLine.completeExceptionally(new IOException("end of stdout"));
      stdoutDone.complete(null);
    }
  }

  private void readStderr(InputStream in) {
    HclogLineParser parser = new HclogLineParser();
    try (in) {
      LineReader.read(in, LineReader.DEFAULT_LIMIT, (line, fragment) -> {
        remember(line);
        log(fragment ? new LogEntry(LogLevel.DEBUG, line, Map.of(), false) : parser.parse(line));
      });
    } catch (IOException | UncheckedIOException e) {
      // As for stdout.
    } finally {
      stderrDone.complete(null);
    }
  }

  private void log(LogEntry entry) {
    try {
      logger.log(entry);
    } catch (RuntimeException e) {
      // A broken logger must not stop the draining of the pipe, or the plugin would block on its writes.
    }
  }

  private void remember(String line) {
    synchronized (stderrTail) {
      if (stderrTail.size() == STDERR_TAIL_LINES) {
        stderrTail.removeFirst();
      }
      stderrTail.addLast(line.length() > STDERR_TAIL_CHARS ? line.substring(0, STDERR_TAIL_CHARS) + "…" : line);
    }
  }

  long pid() {
    return process.pid();
  }

  boolean isAlive() {
    return process.isAlive();
  }

  int exitValue() {
    return process.exitValue();
  }

  CompletableFuture<Process> onExit() {
    return process.onExit();
  }

  /**
   * The first stdout line.
   *
   * @throws PluginStartException if none came within the timeout (the process is then killed) or the process
   *                              closed its stdout first
   */
  String awaitFirstLine(Duration timeout) throws PluginStartException {
    try {
      return firstLine.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      kill();
      throw new PluginStartException(name, "printed no handshake line within " + seconds(timeout) + "; it was killed "
          + "(pid " + pid() + ")." + stderrTailText() + "\nA slow machine may need a longer start timeout.");
    } catch (ExecutionException e) {
      if (awaitExit(Duration.ofSeconds(2))) {
        awaitReaders(Duration.ofSeconds(2));
        throw new PluginStartException(name, exitStatus() + " before printing its handshake line (pid " + pid()
            + ")." + stderrTailText());
      }
      kill();
      throw new PluginStartException(name, "closed its stdout without printing a handshake line; it was killed "
          + "(pid " + pid() + ")." + stderrTailText());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      kill();
      throw new PluginStartException(name, "interrupted while it started");
    }
  }

  /** Waits for the process to exit; {@code true} if it did. */
  boolean awaitExit(Duration timeout) {
    try {
      return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return !process.isAlive();
    }
  }

  /** Waits for both pipes to reach end of file (they may stay open if the plugin left children behind). */
  void awaitReaders(Duration timeout) {
    try {
      CompletableFuture.allOf(stdoutDone, stderrDone).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      // Readers are daemon threads; they end with the pipes.
    }
  }

  /** Kills the process (SIGKILL). */
  void kill() {
    process.destroyForcibly();
  }

  /** "exited with status 3", "was killed by signal 9 (exit status 137)", or "is still running (pid N)". */
  String describeExit() {
    if (process.isAlive()) {
      return "is still running (pid " + pid() + ")";
    }
    return "(pid " + pid() + ") " + exitStatus();
  }

  /** "exited with status 3" or "was killed by signal 9 (exit status 137)", once the process has exited. */
  private String exitStatus() {
    int status = process.exitValue();
    if (!isWindows() && status > 128 && status < 160) {
      return "was killed by signal " + (status - 128) + " (exit status " + status + ")";
    }
    return "exited with status " + status;
  }

  /** The last lines of stderr, one per line, or nothing. */
  List<String> stderrTail() {
    synchronized (stderrTail) {
      return List.copyOf(stderrTail);
    }
  }

  /** The last lines of stderr, as text to append to a message. */
  String stderrTailText() {
    List<String> tail = stderrTail();
    if (tail.isEmpty()) {
      return " It wrote nothing on stderr.";
    }
    StringBuilder out = new StringBuilder(" Its last stderr lines:");
    tail.forEach(line -> out.append("\n  | ").append(line));
    return out.toString();
  }

  private static String seconds(Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
  }

  private static boolean isWindows() {
    return System.getProperty("os.name", "").startsWith("Windows");
  }
}
