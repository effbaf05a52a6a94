package dev.htmlize.goplugin.host;

import static org.assertj.core.api.Assertions.assertThat;

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
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Builders;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * Fuzz tests of the stderr line parser: no line makes it throw; an hclog JSON line comes back as the level, message
 * and fields that were written; plain lines get the level of their prefix, and everything after a crash is an error;
 * a timestamp is accepted exactly when go-plugin's {@code time.Parse} with hclog's layout accepts it.
 */
class HclogLineParserFuzzTest {

  @Property
  void noLineMakesItThrowAndAPlainLineIsKeptAsWritten(@ForAll("stderrLines") List<String> lines) {
    HclogLineParser parser = new HclogLineParser();
    for (String line : lines) {
      LogEntry entry = parser.parse(line);

      assertThat(entry.level()).isNotNull();
      assertThat(entry.message()).isNotNull();
      if (!entry.structured()) {
        assertThat(entry.message()).isEqualTo(line);
        assertThat(entry.fields()).isEmpty();
      }
    }
  }

  @Property
  void anHclogLineComesBackAsWritten(@ForAll("hclogLines") HclogLine written) {
    LogEntry entry = new HclogLineParser().parse(written.json());

    assertThat(entry.structured()).isTrue();
    assertThat(entry.level()).isEqualTo(written.level());
    // Go's JSON decoder reads an unpaired surrogate as U+FFFD.
    assertThat(entry.message()).isEqualTo(goText(written.message()));
    Map<String, String> expected = new LinkedHashMap<>();
    written.fields().forEach((k, v) -> expected.put(goText(k), goText(v)));
    assertThat(entry.fields()).isEqualTo(expected);
  }

  @Property
  void plainLinesTakeTheirPrefixesLevelUntilACrashAndErrorAfterIt(@ForAll("plainLines") List<String> lines) {
    HclogLineParser parser = new HclogLineParser();
    boolean crashed = false;
    for (String line : lines) {
      crashed |= line.startsWith("panic: ") || line.startsWith("fatal error: ")
          || line.startsWith("Exception in thread ");
      LogLevel expected = crashed ? LogLevel.ERROR : prefixLevel(line).orElse(LogLevel.DEBUG);

      assertThat(parser.parse(line).level()).as(line).isEqualTo(expected);
    }
  }

  @Property
  void aTimestampIsAcceptedExactlyWhenGoPluginAcceptsIt(@ForAll("timestamps") Timestamp timestamp) {
    String line = "{\"@level\":\"info\",\"@message\":\"m\",\"@timestamp\":\"" + timestamp.text() + "\"}";

    assertThat(new HclogLineParser().parse(line).structured()).as(timestamp.text())
        .isEqualTo(timestamp.goAccepts());
  }

  /**
   * Found by {@link #aTimestampIsAcceptedExactlyWhenGoPluginAcceptsIt}: only the shape was checked. The expectations
   * are Go 1.19's {@code time.Parse("2006-01-02T15:04:05.000000Z07:00", …)}, as go-plugin calls it.
   */
  @Example
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
  @Example
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

  @Provide
  Arbitrary<HclogLine> hclogLines() {
    Arbitrary<String> levelSpelling = Arbitraries.of(LogLevel.values()).flatMap(level -> Arbitraries.of(
        level.jsonName(), level.name(), " " + level.jsonName() + " ",
        level.jsonName().substring(0, 1).toUpperCase(Locale.ROOT) + level.jsonName().substring(1)));
    Arbitrary<String> text = Arbitraries.oneOf(Arbitraries.strings().all().ofMaxLength(40),
        Arbitraries.strings().ascii().ofMaxLength(40));
    Arbitrary<String> key = Arbitraries.oneOf(Arbitraries.of("@module", "@caller", "address", "network", "err"),
            text)
        .filter(k -> !k.equals("@level") && !k.equals("@message") && !k.equals("@timestamp"));
    Arbitrary<JsonPrimitive> value = Arbitraries.oneOf(text.map(JsonPrimitive::new),
        Arbitraries.longs().map(JsonPrimitive::new), Arbitraries.of(true, false).map(JsonPrimitive::new));
    Arbitrary<Map<String, JsonPrimitive>> fields = Arbitraries.maps(key, value).ofMaxSize(6);
    Arbitrary<Optional<String>> timestamp = Arbitraries.of("2026-11-25T03:02:13.902461Z",
        "2024-02-29T23:59:59.000000+05:30", "1999-12-31T00:00:00.999999-08:00").optional();
    return Combinators.combine(levelSpelling, text, fields, timestamp, Arbitraries.integers().between(0, 3))
        .as((level, message, extra, ts, messageAt) -> {
          // Keys in any order: the three hclog keys go somewhere among the others.
          List<Map.Entry<String, JsonPrimitive>> entries = new ArrayList<>(extra.entrySet());
          entries.add(Math.min(messageAt, entries.size()), Map.entry("@message", new JsonPrimitive(message)));
          entries.add(0, Map.entry("@level", new JsonPrimitive(level)));
          ts.ifPresent(t -> entries.add(Map.entry("@timestamp", new JsonPrimitive(t))));
          JsonObject object = new JsonObject();
          entries.forEach(e -> object.add(e.getKey(), e.getValue()));
          Map<String, String> expected = new LinkedHashMap<>();
          extra.forEach((k, v) -> expected.put(k, v.getAsString()));
          return new HclogLine(object.toString(), LogLevel.fromJsonName(level), message, expected);
        });
  }

  @Provide
  Arbitrary<List<String>> stderrLines() {
    Arbitrary<String> jsonish = Arbitraries.strings()
        .withChars('{', '}', '[', ']', '"', ':', ',', '@', 'l', 'e', 'v', '1', '.', 'e', '-', '\\', 'u', ' ', 'n')
        .ofMaxLength(60).map(s -> "{" + s);
    Arbitrary<String> nearlyHclog = Combinators.combine(
            Arbitraries.of("\"@level\"", "\"@message\"", "\"@timestamp\"", "\"x\"", "\"@level\""),
            Arbitraries.of("\"info\"", "\"ERROR\"", "5", "null", "[]", "{}", "\"2026-11-25T03:02:13.902461Z\"",
                "\"\\ud800\"", "1e999999", "-0", "\"\\u0000\"", "true"))
        .as((k, v) -> k + ":" + v).list().ofMaxSize(5).map(pairs -> "{" + String.join(",", pairs) + "}");
    Arbitrary<String> deep = Arbitraries.integers().between(1, 3000).map(n ->
        "{\"@level\":\"info\",\"@message\":\"x\",\"a\":" + "[".repeat(n) + "]".repeat(n) + "}");
    Arbitrary<String> anything = Arbitraries.strings().all().ofMaxLength(200);
    Arbitrary<String> line = Arbitraries.frequencyOf(Tuple.of(3, jsonish), Tuple.of(4, nearlyHclog),
        Tuple.of(1, deep), Tuple.of(3, anything), Tuple.of(1, plainLine()));
    return line.list().ofMaxSize(8);
  }

  @Provide
  Arbitrary<List<String>> plainLines() {
    return plainLine().list().ofMaxSize(10);
  }

  private static Arbitrary<String> plainLine() {
    Arbitrary<String> prefix = Arbitraries.of("", "[TRACE]", "[DEBUG]", "[INFO]", "[WARN]", "[ERROR]", "[warn]",
        "[FATAL]", "panic: ", "panic:", "fatal error: ", "Exception in thread ", "\tat ", " [INFO]", "goroutine ");
    return Combinators.combine(prefix, Arbitraries.strings().all().ofMaxLength(30))
        .as((p, rest) -> p + rest)
        .filter(l -> !l.strip().startsWith("{"));
  }

  @Provide
  Arbitrary<Timestamp> timestamps() {
    return Builders.withBuilder(TimestampParts::new)
        .use(Arbitraries.integers().between(0, 9999)).inSetter((t, v) -> t.year = v)
        .use(Arbitraries.integers().between(0, 13)).inSetter((t, v) -> t.month = v)
        .use(Arbitraries.integers().between(0, 32)).inSetter((t, v) -> t.day = v)
        .use(Arbitraries.integers().between(0, 25)).inSetter((t, v) -> t.hour = v)
        .use(Arbitraries.integers().between(0, 61)).inSetter((t, v) -> t.minute = v)
        .use(Arbitraries.integers().between(0, 61)).inSetter((t, v) -> t.second = v)
        .use(Arbitraries.integers().between(5, 7)).inSetter((t, v) -> t.fractionDigits = v)
        .use(Arbitraries.of('.', ',', ':')).inSetter((t, v) -> t.separator = v)
        .use(Arbitraries.of("Z", "z", "+01:00", "-08:00", "+25:00", "+01:60", "+0100", "", "+1:00"))
        .inSetter((t, v) -> t.zone = v)
        .build(TimestampParts::timestamp);
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
