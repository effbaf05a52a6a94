package dev.htmlize.goplugin.host;

import dev.htmlize.goplugin.LogLevel;
import java.util.Map;

/**
 * One line a plugin wrote on stderr (or stdout after its handshake), as go-plugin's host understands it.
 *
 * @param level      the level: {@code @level} of an hclog JSON line, a {@code [LEVEL]} prefix, error for panics
 *                   and what follows them, otherwise debug
 * @param message    {@code @message} of a JSON line, otherwise the line as written
 * @param fields     the JSON line's other keys, sorted, values as text (nested JSON as JSON)
 * @param structured whether the line was an hclog JSON object
 */
public record LogEntry(LogLevel level, String message, Map<String, String> fields, boolean structured) {
  public LogEntry {
    fields = Map.copyOf(fields);
  }

  /** The message followed by {@code key=value} pairs in key order, as go-plugin prints a plugin's log line. */
  public String render() {
    if (fields.isEmpty()) {
      return message;
    }
    StringBuilder out = new StringBuilder(message);
    fields.entrySet().stream().sorted(Map.Entry.comparingByKey())
        .forEach(e -> out.append(' ').append(e.getKey()).append('=').append(e.getValue()));
    return out.toString();
  }
}
