package dev.htmlize.goplugin.host;

import static org.assertj.core.api.Assertions.assertThat;

import dev.htmlize.goplugin.LogLevel;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HclogLineParserTest {
  private final HclogLineParser parser = new HclogLineParser();

  @Test
  void readsWhatAGoPluginWrites() {
    LogEntry entry = parser.parse("{\"@level\":\"debug\",\"@message\":\"plugin address\","
        + "\"@timestamp\":\"2026-11-25T03:02:13.902461Z\",\"address\":\"/tmp/plugin3903371155\",\"network\":\"unix\"}");

    assertThat(entry.level()).isEqualTo(LogLevel.DEBUG);
    assertThat(entry.message()).isEqualTo("plugin address");
    assertThat(entry.fields()).isEqualTo(Map.of("address", "/tmp/plugin3903371155", "network", "unix"));
    assertThat(entry.structured()).isTrue();
    assertThat(entry.render()).isEqualTo("plugin address address=/tmp/plugin3903371155 network=unix");
  }

  @Test
  void keepsModuleAsAnOrdinaryFieldAndNumbersAsWritten() {
    LogEntry entry = parser.parse("{\"@level\":\"INFO \",\"@message\":\"m\",\"@module\":\"echo\",\"foo\":12}");

    assertThat(entry.level()).isEqualTo(LogLevel.INFO);
    assertThat(entry.fields()).containsEntry("@module", "echo").containsEntry("foo", "12");
  }

  @Test
  void acceptsZoneOffsetsWithSixFractionalDigitsOnly() {
    assertThat(parser.parse(json("2026-11-25T03:02:13.902461+01:00")).structured()).isTrue();
    assertThat(parser.parse(json("2026-11-25T03:02:13.123Z")).structured()).isFalse();
    assertThat(parser.parse(json("2026-11-25T03:02:13.123456789Z")).structured()).isFalse();
    assertThat(parser.parse(json("2026-11-25T03:02:13Z")).structured()).isFalse();
    assertThat(parser.parse(json("2026-11-25T03:02:13.123456+0100")).structured()).isFalse();
  }

  @Test
  void logsALineThatWouldCrashAGoPluginHostRawAtDebug() {
    String line = "{\"@level\":\"error\",\"@message\":5}";

    LogEntry entry = parser.parse(line);

    assertThat(entry.level()).isEqualTo(LogLevel.DEBUG);
    assertThat(entry.message()).isEqualTo(line);
    assertThat(entry.structured()).isFalse();
    assertThat(parser.parse("{\"@level\":7,\"@message\":\"x\"}").structured()).isFalse();
    assertThat(parser.parse("{\"@level\":\"info\",\"@message\":\"x\",\"@timestamp\":[]}").structured()).isFalse();
  }

  @Test
  void treatsAnUnknownOrMissingLevelAndNonObjectsAsPlainText() {
    assertThat(parser.parse("{\"@level\":\"loud\",\"@message\":\"x\"}").level()).isEqualTo(LogLevel.DEBUG);
    assertThat(parser.parse("{\"a\":1}").structured()).isFalse();
    assertThat(parser.parse("[\"HELLO\"]").message()).isEqualTo("[\"HELLO\"]");
    assertThat(parser.parse("12345").level()).isEqualTo(LogLevel.DEBUG);
    assertThat(parser.parse("{\"@level\":\"info\",\"@message\":\"x\"} trailing").structured()).isFalse();
    assertThat(parser.parse("{not json").structured()).isFalse();
  }

  @Test
  void usesLevelPrefixesOfPlainLines() {
    assertThat(parser.parse("[WARN] disk almost full").level()).isEqualTo(LogLevel.WARN);
    assertThat(parser.parse("[ERROR] boom").message()).isEqualTo("[ERROR] boom");
    assertThat(parser.parse("[TRACE] x").level()).isEqualTo(LogLevel.TRACE);
    assertThat(parser.parse("hello").level()).isEqualTo(LogLevel.DEBUG);
  }

  @Test
  void logsAGoPanicAndEverythingAfterItAtError() {
    assertThat(parser.parse("before").level()).isEqualTo(LogLevel.DEBUG);
    assertThat(parser.parse("panic: runtime error: index out of range").level()).isEqualTo(LogLevel.ERROR);
    assertThat(parser.parse("goroutine 1 [running]:").level()).isEqualTo(LogLevel.ERROR);
    assertThat(parser.parse("{\"@level\":\"info\",\"@message\":\"still json\"}").level()).isEqualTo(LogLevel.INFO);
  }

  @Test
  void logsAJavaCrashAndItsStackTraceAtError() {
    assertThat(parser.parse("Exception in thread \"main\" java.lang.IllegalStateException: x").level())
        .isEqualTo(LogLevel.ERROR);
    assertThat(parser.parse("\tat Main.main(Main.java:3)").level()).isEqualTo(LogLevel.ERROR);
  }

  @Test
  void survivesDeeplyNestedJson() {
    String deep = "{\"@level\":\"info\",\"@message\":\"x\",\"a\":" + "[".repeat(100_000) + "]".repeat(100_000) + "}";

    assertThat(parser.parse(deep)).isNotNull();
  }

  private static String json(String timestamp) {
    return "{\"@level\":\"info\",\"@message\":\"m\",\"@timestamp\":\"" + timestamp + "\"}";
  }
}
