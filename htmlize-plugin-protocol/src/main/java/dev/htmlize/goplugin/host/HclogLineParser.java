package dev.htmlize.goplugin.host;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import dev.htmlize.goplugin.LogLevel;
import java.io.IOException;
import java.io.StringReader;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Reads a plugin's stderr lines the way go-plugin's host does (its §4.4 rules), with one difference: a line that
 * would crash a go-plugin host (a non-string {@code @message}, {@code @level} or {@code @timestamp}) is logged raw
 * at debug instead. No input makes it throw.
 *
 * <ul>
 *   <li>A JSON object with a known {@code @level} is a structured entry; its {@code @timestamp}, if present, must
 *       have exactly six fractional digits, or the whole line counts as plain text.</li>
 *   <li>A plain line starting with {@code [TRACE]}, {@code [DEBUG]}, {@code [INFO]}, {@code [WARN]} or
 *       {@code [ERROR]} gets that level.</li>
 *   <li>A plain line starting with {@code panic: } or {@code fatal error: } (a Go crash), or
 *       {@code Exception in thread } (a Java one), is an error, and so is every plain line after it.</li>
 *   <li>Anything else is debug.</li>
 * </ul>
 *
 * <p>One parser per plugin: it remembers whether the plugin has started to crash. Not thread-safe.
 */
public final class HclogLineParser {
  private static final Pattern TIMESTAMP =
      Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{6}(Z|[+-]\\d{2}:\\d{2})");
  private static final String[] CRASH_PREFIXES = {"panic: ", "fatal error: ", "Exception in thread "};

  private boolean crashing;

  /** The entry for one line, without its line terminator. */
  public LogEntry parse(String line) {
    LogEntry structured = parseJson(line);
    if (structured != null) {
      return structured;
    }
    return new LogEntry(plainLevel(line), line, Map.of(), false);
  }

  private LogLevel plainLevel(String line) {
    for (String prefix : CRASH_PREFIXES) {
      if (line.startsWith(prefix)) {
        crashing = true;
      }
    }
    if (crashing) {
      return LogLevel.ERROR;
    }
    for (LogLevel level : LogLevel.values()) {
      if (line.startsWith("[" + level.name() + "]")) {
        return level;
      }
    }
    return LogLevel.DEBUG;
  }

  private static LogEntry parseJson(String line) {
    String trimmed = line.strip();
    if (!trimmed.startsWith("{")) {
      return null;
    }
    JsonObject object;
    try {
      JsonReader reader = new JsonReader(new StringReader(trimmed));
      reader.setStrictness(Strictness.STRICT);
      JsonElement element = JsonParser.parseReader(reader);
      if (!element.isJsonObject() || reader.peek() != JsonToken.END_DOCUMENT) {
        return null;
      }
      object = element.getAsJsonObject();
    } catch (JsonParseException | IOException | StackOverflowError e) {
      return null;
    }
    String levelText = stringValue(object, "@level");
    String message = stringValue(object, "@message");
    String timestamp = stringValue(object, "@timestamp");
    if (levelText == null || (object.has("@message") && message == null)
        || (object.has("@timestamp") && (timestamp == null || !TIMESTAMP.matcher(timestamp).matches()))) {
      return null;
    }
    LogLevel level = LogLevel.fromJsonName(levelText);
    if (level == null) {
      return null;
    }
    Map<String, String> fields = new TreeMap<>();
    for (Map.Entry<String, JsonElement> field : object.entrySet()) {
      String key = field.getKey();
      if (key.equals("@level") || key.equals("@message") || key.equals("@timestamp")) {
        continue;
      }
      JsonElement value = field.getValue();
      fields.put(key, value.isJsonPrimitive() ? value.getAsString() : value.toString());
    }
    return new LogEntry(level, message == null ? "" : message, fields, true);
  }

  private static String stringValue(JsonObject object, String key) {
    JsonElement value = object.get(key);
    if (value == null || !value.isJsonPrimitive() || !value.getAsJsonPrimitive().isString()) {
      return null;
    }
    return value.getAsString();
  }
}
