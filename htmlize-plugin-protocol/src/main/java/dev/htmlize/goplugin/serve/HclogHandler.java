package dev.htmlize.goplugin.serve;

import dev.htmlize.goplugin.LogLevel;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;

/**
 * A {@code java.util.logging} handler that writes records through an {@link HclogWriter}, so that what gRPC, netty
 * and a plugin's own code log reaches the host as hclog JSON instead of plain text on a redirected stderr.
 */
final class HclogHandler extends Handler {
  private final HclogWriter writer;

  HclogHandler(HclogWriter writer) {
    this.writer = writer;
  }

  @Override
  public void publish(LogRecord record) {
    if (record == null || !isLoggable(record)) {
      return;
    }
    String message = record.getMessage();
    if (record.getParameters() != null && record.getParameters().length > 0 && message != null) {
      try {
        message = java.text.MessageFormat.format(message, record.getParameters());
      } catch (IllegalArgumentException e) {
        // Keep the pattern as written.
      }
    }
    String logger = record.getLoggerName() == null ? "" : record.getLoggerName();
    if (record.getThrown() != null) {
      StringWriter trace = new StringWriter();
      record.getThrown().printStackTrace(new PrintWriter(trace));
      writer.log(level(record.getLevel()), String.valueOf(message), "logger", logger, "error", trace.toString());
    } else {
      writer.log(level(record.getLevel()), String.valueOf(message), "logger", logger);
    }
  }

  private static LogLevel level(Level level) {
    int value = level.intValue();
    if (value >= Level.SEVERE.intValue()) {
      return LogLevel.ERROR;
    } else if (value >= Level.WARNING.intValue()) {
      return LogLevel.WARN;
    } else if (value >= Level.INFO.intValue()) {
      return LogLevel.INFO;
    } else if (value >= Level.FINE.intValue()) {
      return LogLevel.DEBUG;
    }
    return LogLevel.TRACE;
  }

  @Override
  public void flush() {
  }

  @Override
  public void close() {
  }
}
