package dev.htmlize.goplugin.serve;

import com.google.gson.JsonObject;
import dev.htmlize.goplugin.LogLevel;
import java.io.PrintStream;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Objects;

/**
 * Writes log lines in hclog's JSON form, which go-plugin hosts parse: one object per line with {@code @level},
 * {@code @message}, {@code @timestamp} (exactly six fractional digits, as the host requires) and {@code @module},
 * then the key/value pairs. Writes go to the process's original stderr, never to stdout. Thread-safe.
 */
public final class HclogWriter {
  private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSXXX");

  private final PrintStream out;
  private final String module;
  private final LogLevel threshold;

  /**
   * @param out       the original stderr
   * @param module    written as {@code @module}; may be empty
   * @param threshold lines below this level are dropped
   */
  public HclogWriter(PrintStream out, String module, LogLevel threshold) {
    this.out = Objects.requireNonNull(out);
    this.module = Objects.requireNonNull(module);
    this.threshold = Objects.requireNonNull(threshold);
  }

  /**
   * Logs a message with key/value pairs ({@code key1, value1, key2, value2, …}; values as {@link String#valueOf}).
   */
  public void log(LogLevel level, String message, Object... keyValues) {
    if (level.compareTo(threshold) < 0) {
      return;
    }
    JsonObject json = new JsonObject();
    json.addProperty("@level", level.jsonName());
    json.addProperty("@message", message);
    json.addProperty("@timestamp", TIMESTAMP.format(OffsetDateTime.now()));
    if (!module.isEmpty()) {
      json.addProperty("@module", module);
    }
    for (int i = 0; i + 1 < keyValues.length; i += 2) {
      json.addProperty(String.valueOf(keyValues[i]), String.valueOf(keyValues[i + 1]));
    }
    String line = json.toString();
    synchronized (out) {
      out.println(line);
      out.flush();
    }
  }

  public void trace(String message, Object... keyValues) {
    log(LogLevel.TRACE, message, keyValues);
  }

  public void debug(String message, Object... keyValues) {
    log(LogLevel.DEBUG, message, keyValues);
  }

  public void info(String message, Object... keyValues) {
    log(LogLevel.INFO, message, keyValues);
  }

  public void warn(String message, Object... keyValues) {
    log(LogLevel.WARN, message, keyValues);
  }

  public void error(String message, Object... keyValues) {
    log(LogLevel.ERROR, message, keyValues);
  }
}
