package dev.htmlize.goplugin.host;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import dev.htmlize.goplugin.LogLevel;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Fuzz tests of the stderr line parser: no line makes it throw; an hclog JSON line comes back as the level, message
 * and fields that were written; plain lines get the level of their prefix, and everything after a crash is an error;
 * a timestamp is accepted exactly when go-plugin's {@code time.Parse} with hclog's layout accepts it.
 *
 * <p>A normal test run replays the inputs under {@code HclogLineParserFuzzTestInputs/<method>/} in the test
 * resources; {@code dev/fuzz} fuzzes each method in turn.
 */
class HclogLineParserFuzzTest {

  @FuzzTest
  void noLineMakesItThrowAndAPlainLineIsKeptAsWritten(FuzzedDataProvider data) {
    HclogLineParser parser = new HclogLineParser();
    for (String line : stderrLines(data)) {
      LogEntry entry = parser.parse(line);

      assertThat(entry.level()).isNotNull();
      assertThat(entry.message()).isNotNull();
      if (!entry.structured()) {
        assertThat(entry.message()).isEqualTo(line);
        assertThat(entry.fields()).isEmpty();
      }
    }
  }

  @FuzzTest
  void anHclogLineComesBackAsWritten(FuzzedDataProvider data) {
    HclogLine written = hclogLine(data);

    LogEntry entry = new HclogLineParser().parse(written.json());

    assertThat(entry.structured()).isTrue();
    assertThat(entry.level()).isEqualTo(written.level());
    // Go's JSON decoder reads an unpaired surrogate as U+FFFD.
    assertThat(entry.message()).isEqualTo(goText(written.message()));
    Map<String, String> expected = new LinkedHashMap<>();
    written.fields().forEach((k, v) -> expected.put(goText(k), goText(v)));
    assertThat(entry.fields()).isEqualTo(expected);
  }

  @FuzzTest
  void plainLinesTakeTheirPrefixesLevelUntilACrashAndErrorAfterIt(FuzzedDataProvider data) {
    HclogLineParser parser = new HclogLineParser();
    boolean crashed = false;
    for (int n = data.consumeInt(0, 10); n > 0; n--) {
      String line = plainLine(data);
      crashed |= line.startsWith("panic: ") || line.startsWith("fatal error: ")
          || line.startsWith("Exception in thread ");
      LogLevel expected = crashed ? LogLevel.ERROR : prefixLevel(line).orElse(LogLevel.DEBUG);

      assertThat(parser.parse(line).level()).as(line).isEqualTo(expected);
    }
  }

  @FuzzTest
  void aTimestampIsAcceptedExactlyWhenGoPluginAcceptsIt(FuzzedDataProvider data) {
    Timestamp timestamp = timestamp(data);
    String line = "{\"@level\":\"info\",\"@message\":\"m\",\"@timestamp\":\"" + timestamp.text() + "\"}";

    assertThat(new HclogLineParser().parse(line).structured()).as(timestamp.text())
        .isEqualTo(timestamp.goAccepts());
  }

  /**
   * Found by {@link #aTimestampIsAcceptedExactlyWhenGoPluginAcceptsIt}: only the shape was checked. The expectations
   * are Go 1.19's {@code time.Parse("2006-01-02T15:04:05.000000Z07:00", …)}, as go-plugin calls it.
   */
  @Test
  void regressionTimestampsAreReadAsGoReadsThem() {
    Map<String, Boolean> go = new LinkedHashMap<>();
    go.put("2026-11-25T03:02:13.902461Z", true);
    go.put("2026-13-25T03:02:13.902461Z", false);
    go.put("2026-00-25T03:02:13.902461Z", false);
    go.put("2026-02-30T03:02:13.902461Z", false);
    go.put("2026-11-00T03:02:13.902461Z", false);
    go.put("2023-02-29T00:00:00.000000Z", false);
    go.put("2024-02-29T00:00:00.000000Z", true);
    go.put("0000-01-01T00:00:00.000000Z", true);
    go.put("2026-11-25T24:02:13.902461Z", false);
    go.put("2026-11-25T23:60:13.902461Z", false);
    go.put("2026-11-25T23:59:60.902461Z", false);
    go.put("2026-11-25T03:02:13,902461Z", true);
    go.put("2026-11-25T03:02:13.902461+25:00", true);
    go.put("2026-11-25T03:02:13.902461+01:60", true);
    go.put("2026-11-25T03:02:13.902461-00:00", true);
    go.put("2026-11-25T03:02:13.902461z", false);
    go.put("2026-11-25t03:02:13.902461Z", false);
    go.put("2026-11-25T03:02:13.902461+0100", false);
    go.forEach((timestamp, accepted) -> assertThat(new HclogLineParser().parse(
            "{\"@level\":\"info\",\"@message\":\"m\",\"@timestamp\":\"" + timestamp + "\"}").structured())
        .as(timestamp).isEqualTo(accepted));
  }

  /**
   * Found by {@link #anHclogLineComesBackAsWritten}: Gson's strict mode refused a line with an unpaired surrogate,
   * so a Python plugin's error about a file name read with {@code surrogateescape} showed at debug, unseen.
   */
  @Test
  void regressionAnUnpairedSurrogateKeepsTheLinesLevel() {
    HclogLineParser parser = new HclogLineParser();

    LogEntry escaped = parser.parse("{\"@level\": \"error\", \"@message\": \"cannot read caf\\udce9.md\", "
        + "\"pair\": \"\\ud83d\\ude00\", \"slash\": \"\\\\ud800\"}");
    LogEntry raw = parser.parse("{\"@level\":\"warn\",\"@message\":\"x\\udc80\\ud800y\ud800\"}");

    assertThat(escaped.structured()).isTrue();
    assertThat(escaped.level()).isEqualTo(LogLevel.ERROR);
    assertThat(escaped.message()).isEqualTo("cannot read caf\ufffd.md");
    assertThat(escaped.fields()).containsEntry("pair", "\ud83d\ude00").containsEntry("slash", "\\ud800");
    assertThat(raw.level()).isEqualTo(LogLevel.WARN);
    assertThat(raw.message()).isEqualTo("x\ufffd\ufffdy\ufffd");
  }

  private static String goText(String text) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
        out.append(c).append(text.charAt(++i));
      } else {
        out.append(Character.isSurrogate(c) ? '\ufffd' : c);
      }
    }
    return out.toString();
  }

  private static Optional<LogLevel> prefixLevel(String line) {
    for (LogLevel level : LogLevel.values()) {
      if (line.startsWith("[" + level + "]")) {
        return Optional.of(level);
      }
    }
    return Optional.empty();
  }

  /** An hclog JSON line and what it says. */
  record HclogLine(String json, LogLevel level, String message, Map<String, String> fields) {
  }

  /** A timestamp made from parts, and whether Go's time.Parse with hclog's layout accepts it. */
  record Timestamp(String text, boolean goAccepts) {
  }

  private static final String[] HCLOG_KEYS = {"@module", "@caller", "address", "network", "err"};
  private static final String[] NEARLY_HCLOG_KEYS = {"\"@level\"", "\"@message\"", "\"@timestamp\"", "\"x\""};
  private static final String[] NEARLY_HCLOG_VALUES = {"\"info\"", "\"ERROR\"", "5", "null", "[]", "{}",
      "\"2026-11-25T03:02:13.902461Z\"", "\"\\ud800\"", "1e999999", "-0", "\"\\u0000\"", "true"};
  private static final String[] TIMESTAMPS = {"2026-11-25T03:02:13.902461Z", "2024-02-29T23:59:59.000000+05:30",
      "1999-12-31T00:00:00.999999-08:00"};
  private static final String[] PREFIXES = {"", "[TRACE]", "[DEBUG]", "[INFO]", "[WARN]", "[ERROR]", "[warn]",
      "[FATAL]", "panic: ", "panic:", "fatal error: ", "Exception in thread ", "\tat ", " [INFO]", "goroutine "};

  /** An hclog JSON line written with Gson: the level spelled any way hclog's readers accept, keys in any order. */
  private static HclogLine hclogLine(FuzzedDataProvider data) {
    LogLevel written = data.pickValue(LogLevel.values());
    String level = switch (data.consumeInt(0, 3)) {
      case 0 -> written.jsonName();
      case 1 -> written.name();
      case 2 -> " " + written.jsonName() + " ";
      default -> written.jsonName().substring(0, 1).toUpperCase(Locale.ROOT) + written.jsonName().substring(1);
    };
    String message = text(data);
    Map<String, JsonPrimitive> extra = new LinkedHashMap<>();
    for (int n = data.consumeInt(0, 6); n > 0; n--) {
      String key = data.consumeBoolean() ? data.pickValue(HCLOG_KEYS) : text(data);
      if (key.equals("@level") || key.equals("@message") || key.equals("@timestamp")) {
        continue;
      }
      extra.put(key, switch (data.consumeInt(0, 2)) {
        case 0 -> new JsonPrimitive(text(data));
        case 1 -> new JsonPrimitive(data.consumeLong());
        default -> new JsonPrimitive(data.consumeBoolean());
      });
    }
    Optional<String> timestamp = data.consumeBoolean() ? Optional.of(data.pickValue(TIMESTAMPS)) : Optional.empty();
    int messageAt = data.consumeInt(0, 3);
    // Keys in any order: the three hclog keys go somewhere among the others.
    List<Map.Entry<String, JsonPrimitive>> entries = new ArrayList<>(extra.entrySet());
    entries.add(Math.min(messageAt, entries.size()), Map.entry("@message", new JsonPrimitive(message)));
    entries.add(0, Map.entry("@level", new JsonPrimitive(level)));
    timestamp.ifPresent(t -> entries.add(Map.entry("@timestamp", new JsonPrimitive(t))));
    JsonObject object = new JsonObject();
    entries.forEach(e -> object.add(e.getKey(), e.getValue()));
    Map<String, String> expected = new LinkedHashMap<>();
    extra.forEach((k, v) -> expected.put(k, v.getAsString()));
    return new HclogLine(object.toString(), written, message, expected);
  }

  /** Any text, or ASCII text, of up to 40 characters. */
  private static String text(FuzzedDataProvider data) {
    return data.consumeBoolean() ? data.consumeString(40) : data.consumeAsciiString(40);
  }

  /** Up to eight stderr lines: JSON-like noise, nearly hclog, deep nesting, any text, plain log lines. */
  private static List<String> stderrLines(FuzzedDataProvider data) {
    List<String> lines = new ArrayList<>();
    for (int n = data.consumeInt(0, 8); n > 0; n--) {
      lines.add(switch (data.consumeInt(0, 4)) {
        case 0 -> {
          StringBuilder line = new StringBuilder("{");
          String chars = "{}[]\":,@lev1.e-\\u n";
          for (int i = data.consumeInt(0, 60); i > 0; i--) {
            line.append(chars.charAt(data.consumeInt(0, chars.length() - 1)));
          }
          yield line.toString();
        }
        case 1 -> {
          List<String> pairs = new ArrayList<>();
          for (int i = data.consumeInt(0, 5); i > 0; i--) {
            pairs.add(data.pickValue(NEARLY_HCLOG_KEYS) + ":" + data.pickValue(NEARLY_HCLOG_VALUES));
          }
          yield "{" + String.join(",", pairs) + "}";
        }
        case 2 -> {
          int depth = data.consumeInt(1, 3000);
          yield "{\"@level\":\"info\",\"@message\":\"x\",\"a\":" + "[".repeat(depth) + "]".repeat(depth) + "}";
        }
        case 3 -> plainLine(data);
        default -> data.consumeString(200);
      });
    }
    return lines;
  }

  /** A line that is not JSON: maybe a level prefix, a crash's first words, or a stack frame, then any text. */
  private static String plainLine(FuzzedDataProvider data) {
    String line = data.pickValue(PREFIXES) + data.consumeString(30);
    return line.strip().startsWith("{") ? "x" + line : line;
  }

  /** A timestamp made from parts, some out of range, with separators and zones hclog's layout refuses. */
  private static Timestamp timestamp(FuzzedDataProvider data) {
    TimestampParts t = new TimestampParts();
    t.year = data.consumeInt(0, 9999);
    t.month = data.consumeInt(0, 13);
    t.day = data.consumeInt(0, 32);
    t.hour = data.consumeInt(0, 25);
    t.minute = data.consumeInt(0, 61);
    t.second = data.consumeInt(0, 61);
    t.fractionDigits = data.consumeInt(5, 7);
    t.separator = data.pickValue(new char[] {'.', ',', ':'});
    t.zone = data.pickValue(new String[] {"Z", "z", "+01:00", "-08:00", "+25:00", "+01:60", "+0100", "", "+1:00"});
    return t.timestamp();
  }

  /** The parts of a timestamp, and go-plugin's verdict on them, derived from the parts (not from the text). */
  static final class TimestampParts {
    int year;
    int month;
    int day;
    int hour;
    int minute;
    int second;
    int fractionDigits;
    char separator;
    String zone;

    Timestamp timestamp() {
      String text = String.format(Locale.ROOT, "%04d-%02d-%02dT%02d:%02d:%02d%c%s%s", year, month, day, hour, minute,
          second, separator, "9".repeat(fractionDigits), zone);
      boolean zoneOk = zone.equals("Z") || zone.matches("[+-]\\d\\d:\\d\\d");
      boolean dateOk = month >= 1 && month <= 12 && day >= 1 && day <= YearMonth.of(year, month).lengthOfMonth();
      boolean accepted = fractionDigits == 6 && (separator == '.' || separator == ',') && zoneOk && dateOk
          && hour < 24 && minute < 60 && second < 60;
      return new Timestamp(text, accepted);
    }
  }
}
