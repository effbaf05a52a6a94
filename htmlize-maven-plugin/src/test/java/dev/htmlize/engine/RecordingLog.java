package dev.htmlize.engine;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** An engine log that keeps what it is told. */
class RecordingLog implements EngineLog {
  final List<String> debug = new CopyOnWriteArrayList<>();
  final List<String> info = new CopyOnWriteArrayList<>();
  final List<String> warn = new CopyOnWriteArrayList<>();
  final List<String> error = new CopyOnWriteArrayList<>();

  @Override
  public void debug(String message) {
    debug.add(message);
  }

  @Override
  public void info(String message) {
    info.add(message);
  }

  @Override
  public void warn(String message) {
    warn.add(message);
  }

  @Override
  public void error(String message) {
    error.add(message);
  }
}
