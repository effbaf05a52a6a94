package dev.htmlize.goplugin;

import java.util.Locale;

/** hclog's levels, as written in the {@code @level} key of a JSON log line. */
public enum LogLevel {
  TRACE, DEBUG, INFO, WARN, ERROR;

  /** The name hclog writes: lower case. */
  public String jsonName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The level of an {@code @level} value (case-insensitive, trimmed), or {@code null} if it names none. */
  public static LogLevel fromJsonName(String name) {
    return switch (name.strip().toLowerCase(Locale.ROOT)) {
      case "trace" -> TRACE;
      case "debug" -> DEBUG;
      case "info" -> INFO;
      case "warn" -> WARN;
      case "error" -> ERROR;
      default -> null;
    };
  }
}
