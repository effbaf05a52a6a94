package dev.htmlize.engine;

/** Where the engine reports; the Maven goal maps it to Maven's log. Implementations must be thread-safe. */
public interface EngineLog {
  void debug(String message);

  void info(String message);

  void warn(String message);

  void error(String message);
}
