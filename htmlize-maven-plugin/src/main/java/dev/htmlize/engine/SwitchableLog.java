package dev.htmlize.engine;

import java.util.Objects;

/**
 * A log that passes every line to another, which can change: a plugin kept for the next module of a build writes its
 * lines to the log of the module using it.
 */
final class SwitchableLog implements EngineLog {
  private volatile EngineLog target;

  SwitchableLog(EngineLog target) {
    this.target = Objects.requireNonNull(target);
  }

  void switchTo(EngineLog log) {
    this.target = Objects.requireNonNull(log);
  }

  @Override
  public void debug(String message) {
    target.debug(message);
  }

  @Override
  public void info(String message) {
    target.info(message);
  }

  @Override
  public void warn(String message) {
    target.warn(message);
  }

  @Override
  public void error(String message) {
    target.error(message);
  }
}
