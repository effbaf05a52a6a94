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
import java.time.YearMonth;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a plugin's stderr lines the way go-plugin's host does (its §4.4 rules), with one difference: a line that
 * would crash a go-plugin host (a non-string {@code @message}, {@code @level} or {@code @timestamp}) is logged raw
 * at debug instead. No input makes it throw.
 *
 * <ul>
 *   <li>A JSON object with a known {@code @level} is a structured entry; its {@code @timestamp}, if present, must
 *       be one that go-plugin reads (hclog's layout with exactly six fractional digits, a real date and time of
 *       day), or the whole line counts as plain text. Unpaired surrogates become U+FFFD, as Go decodes them.</li>
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
  /** hclog's {@code 2006-01-02T15:04:05.000000Z07:00}; Go also takes a comma before the fraction. */
  private static final Pattern TIMESTAMP =
      Pattern.compile("(\\d{4})-(\\d{2})-(\\d{2})T(\\d{2}):(\\d{2}):(\\d{2})[.,]\\d{6}(Z|[+-]\\d{2}:\\d{2})");
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
    trimmed = replaceLoneSurrogates(trimmed);
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
        || (object.has("@timestamp") && (timestamp == null || !isGoTimestamp(timestamp)))) {
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

  /**
   * Whether Go's {@code time.Parse} with hclog's layout reads the timestamp: its shape, and a real date and time of
   * day (Go checks the month, the day in that month, hours, minutes and seconds; not the zone offset's range).
   */
  private static boolean isGoTimestamp(String timestamp) {
    Matcher m = TIMESTAMP.matcher(timestamp);
    if (!m.matches()) {
      return false;
    }
    int year = Integer.parseInt(m.group(1));
    int month = Integer.parseInt(m.group(2));
    int day = Integer.parseInt(m.group(3));
    return month >= 1 && month <= 12 && day >= 1 && day <= YearMonth.of(year, month).lengthOfMonth()
        && Integer.parseInt(m.group(4)) < 24 && Integer.parseInt(m.group(5)) < 60 && Integer.parseInt(m.group(6)) < 60;
  }

  /**
   * Replaces unpaired surrogates, written raw or as JSON escapes, by U+FFFD, as Go's JSON decoder
   * does: a plugin that logs such a string (Python's {@code surrogateescape} file names, for one) still gets its
   * level, where Gson's strict mode would refuse the whole line.
   */
  static String replaceLoneSurrogates(String json) {
    StringBuilder out = null;
    int i = 0;
    while (i < json.length()) {
      char c = json.charAt(i);
      int length = 1;
      String replacement = null;
      if (c == '\\' && i + 1 < json.length()) {
        length = 2;
        int unit = escapedUnit(json, i);
        if (unit >= 0) {
          length = 6;
          if (Character.isHighSurrogate((char) unit) && Character.isLowSurrogate((char) escapedUnit(json, i + 6))) {
            length = 12;
          } else if (Character.isSurrogate((char) unit)) {
            replacement = "\\ufffd";
          }
        }
      } else if (Character.isHighSurrogate(c) && i + 1 < json.length()
          && Character.isLowSurrogate(json.charAt(i + 1))) {
        length = 2;
      } else if (Character.isSurrogate(c)) {
        replacement = "\ufffd";
      }
      if (replacement != null && out == null) {
        out = new StringBuilder(json.length()).append(json, 0, i);
      }
      if (out != null) {
        if (replacement != null) {
          out.append(replacement);
        } else {
          out.append(json, i, i + length);
        }
      }
      i += length;
    }
    return out == null ? json : out.toString();
  }

  /** The UTF-16 unit of a JSON {@code u} escape (a backslash, u, four hex digits) at {@code at}, or -1. */
  private static int escapedUnit(String json, int at) {
    if (at + 6 > json.length() || json.charAt(at) != '\\' || json.charAt(at + 1) != 'u') {
      return -1;
    }
    int unit = 0;
    for (int k = at + 2; k < at + 6; k++) {
      int digit = Character.digit(json.charAt(k), 16);
      if (digit < 0 || json.charAt(k) > 'f') {
        return -1;
      }
      unit = unit * 16 + digit;
    }
    return unit;
  }

  private static String stringValue(JsonObject object, String key) {
    JsonElement value = object.get(key);
    if (value == null || !value.isJsonPrimitive() || !value.getAsJsonPrimitive().isString()) {
      return null;
    }
    return value.getAsString();
  }
}
