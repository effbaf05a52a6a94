package dev.htmlize.goplugin.host;

/**
 * Where a plugin's log lines go. Called from the thread that reads the plugin's stderr, one line at a time; an
 * implementation must not block for long, or the plugin stalls on its writes.
 */
@FunctionalInterface
public interface PluginLogger {
  /** A logger that drops everything. */
  PluginLogger DISCARD = entry -> { };

  void log(LogEntry entry);
}
