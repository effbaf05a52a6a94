package dev.htmlize.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Fuzz tests of the front-matter reader: it returns a page or fails with {@link SourceLineException} naming a line of
 * the file; front matter written from values reads back as those values; no front matter makes it work for long or
 * produce an unbounded number of values.
 *
 * <p>A normal test run replays the inputs under {@code FrontMatterFuzzTestInputs/<method>/} in the test resources;
 * {@code dev/fuzz} fuzzes each method in turn.
 */
class FrontMatterFuzzTest {

  @FuzzTest
  void anyTextReadsOrFailsNamingALineOfIt(FuzzedDataProvider data) {
    String text = source(data);
    try {
      FrontMatter front = FrontMatter.read(text, "p.md");
      assertThat(front.bodyLine()).isBetween(1, lineCount(text) + 1);
      assertThat(text).endsWith(front.body());
      assertThat(front.metadata().size()).isLessThanOrEqualTo(FrontMatter.MAX_VALUES);
    } catch (SourceLineException e) {
      assertThat(e.line()).as(e.getMessage()).isBetween(1, lineCount(text));
      assertThat(e.getMessage()).isNotBlank();
    }
  }

  @FuzzTest
  void frontMatterWrittenFromValuesReadsBackAsThoseValues(FuzzedDataProvider data) throws Exception {
    Page page = page(data);
    FrontMatter front = FrontMatter.read(page.text(), "p.md");

    assertThat(front.title()).isEqualTo(page.title().filter(t -> !t.isBlank()));
    assertThat(front.author()).isEqualTo(page.author().filter(a -> !a.isBlank()));
    assertThat(front.date()).isEqualTo(page.date());
    assertThat(front.tags()).isEqualTo(page.tags());
    assertThat(front.metadata()).isEqualTo(page.metadata());
    assertThat(front.body()).isEqualTo(page.body());
    assertThat(front.bodyLine()).isEqualTo(page.bodyLine());
  }

  @FuzzTest
  void aliasesCannotBlowUpTheValues(FuzzedDataProvider data) {
    String text = laughs(data);
    try {
      assertThat(FrontMatter.read(text, "p.md").metadata().size()).isLessThanOrEqualTo(FrontMatter.MAX_VALUES);
    } catch (SourceLineException e) {
      assertThat(e.line()).isBetween(1, lineCount(text));
    }
  }

  /**
   * Found by {@link #aliasesCannotBlowUpTheValues}: twenty aliases (the most a document may have) multiplied a map of
   * 1,000 keys into 111,000 metadata values, sent to every plugin with every call for the page. Now an error at the
   * key that expands too far.
   */
  @Test
  void regressionAliasesThatExpandToTooManyValuesAreAnError() {
    String base = IntStream.range(0, 1000).mapToObj(i -> "  k" + i + ": v").collect(Collectors.joining("\n"));
    String text = "---\nbase: &b\n" + base + "\nlevel1: &l1\n"
        + IntStream.range(0, 10).mapToObj(i -> "  a" + i + ": *b").collect(Collectors.joining("\n"))
        + "\nlevel2:\n" + IntStream.range(0, 10).mapToObj(i -> "  c" + i + ": *l1").collect(Collectors.joining("\n"))
        + "\n---\nbody\n";

    assertTimeoutPreemptively(Duration.ofSeconds(20), () -> assertThatThrownBy(() -> FrontMatter.read(text, "p.md"))
        .isInstanceOf(SourceLineException.class)
        .hasMessageStartingWith("front matter has more than 1000 values (aliases expanded) by key level1;")
        .satisfies(e -> assertThat(((SourceLineException) e).line()).isEqualTo(1003)));
  }

  private static int lineCount(String text) {
    return (int) text.chars().filter(c -> c == '\n').count() + 1;
  }

  /** A page written from values, and the values. */
  record Page(String text, Optional<String> title, Optional<String> author, String date, List<String> tags,
              Map<String, String> metadata, String body, int bodyLine) {
  }

  private static final List<String> YAML_LINES = List.of("title: x", "tags: [a, b", "tags: a, b", "a:", "  b: c",
      "- x", "a: &x [1, 2]", "b: *x", "c: *missing", "? [a]\n: b", "a: {b: {c: {d: 1}}}", "a: !!binary AAAA",
      "%YAML 1.2", "a: |", "  text", "'unclosed", "\"\\q\"", "a: b: c", "\t- tab", "a: 1\u2028b: 2", "x: \u0085",
      "...", "--- ", "---", "!!map {}", "&a a: 1", "<<: *x", "a: [" + "[".repeat(60), "key: \"\\ud800\"");
  private static final String YAML_CHARS = "ab:-[]{}&*!|>'\" \t#?,\u2028\u0085";
  private static final String VALUE_CHARS = "ab :#-\n\t\"'\\[]{}&*!|>%@`,";
  private static final List<String> RESERVED_KEYS = List.of("title", "author", "date", "tags");

  /** A page written from values: front matter of double-quoted scalars, then a body. */
  private static Page page(FuzzedDataProvider data) {
    Optional<String> title = data.consumeBoolean() ? Optional.of(value(data)) : Optional.empty();
    Optional<String> author = data.consumeBoolean() ? Optional.of(value(data)) : Optional.empty();
    String date = value(data);
    List<String> tags = new ArrayList<>();
    for (int n = data.consumeInt(0, 4); n > 0; n--) {
      tags.add(value(data));
    }
    Map<String, String> metadata = new LinkedHashMap<>();
    for (int n = data.consumeInt(0, 5); n > 0; n--) {
      StringBuilder key = new StringBuilder();
      for (int i = data.consumeInt(1, 8); i > 0; i--) {
        key.append(data.pickValue(new char[] {'a', 'b', 'k', 'z', '_', '-', '0'}));
      }
      if (!RESERVED_KEYS.contains(key.toString())) {
        metadata.put(key.toString(), value(data));
      }
    }
    String closing = data.pickValue(new String[] {"---", "..."});
    String body = withoutSurrogates(data.consumeBoolean() ? data.pickValue(new String[] {"", "---\n",
        "# Title\n\ntext\n", "...\n"}) : data.consumeRemainingAsString()).replace('\r', '\n');
    List<String> lines = new ArrayList<>();
    lines.add("---");
    title.ifPresent(t -> lines.add("title: " + quoted(t)));
    author.ifPresent(a -> lines.add("author: " + quoted(a)));
    lines.add("date: " + quoted(date));
    if (!tags.isEmpty()) {
      lines.add("tags:");
      tags.forEach(t -> lines.add("  - " + quoted(t)));
    }
    metadata.forEach((k, v) -> lines.add(k + ": " + quoted(v)));
    lines.add(closing);
    String text = String.join("\n", lines) + "\n" + body;
    return new Page(text, title, author, date, tags, metadata, body, lines.size() + 1);
  }

  /** A value: any text, or YAML's special characters. */
  private static String value(FuzzedDataProvider data) {
    if (data.consumeBoolean()) {
      return withoutSurrogates(data.consumeString(30));
    }
    StringBuilder value = new StringBuilder();
    for (int n = data.consumeInt(0, 20); n > 0; n--) {
      value.append(VALUE_CHARS.charAt(data.consumeInt(0, VALUE_CHARS.length() - 1)));
    }
    return value.toString();
  }

  /** Any text, most often the shape of a page with front matter made of YAML's awkward lines. */
  private static String source(FuzzedDataProvider data) {
    String open = data.pickValue(new String[] {"---\n", "---", "--- \n", ""});
    List<String> yaml = new ArrayList<>();
    for (int n = data.consumeInt(0, 8); n > 0; n--) {
      yaml.add(switch (data.consumeInt(0, 2)) {
        case 0 -> data.pickValue(YAML_LINES);
        case 1 -> {
          StringBuilder line = new StringBuilder();
          for (int i = data.consumeInt(0, 30); i > 0; i--) {
            line.append(YAML_CHARS.charAt(data.consumeInt(0, YAML_CHARS.length() - 1)));
          }
          yield line.toString();
        }
        default -> data.consumeString(20);
      });
    }
    String close = data.pickValue(new String[] {"\n---\n", "\n...\n", "\n", "", "\n---"});
    String body = data.consumeRemainingAsString();
    return withoutSurrogates(open + String.join("\n", yaml) + close + body).replace('\r', '\n');
  }

  /** Anchored maps and lists, each level made of aliases to the one before: YAML's "billion laughs". */
  private static String laughs(FuzzedDataProvider data) {
    int baseSize = data.consumeInt(1, 3000);
    int levels = data.consumeInt(1, 6);
    int fanOut = data.consumeInt(1, 10);
    boolean baseIsMap = data.consumeBoolean();
    boolean useLists = data.consumeBoolean();
    StringBuilder yaml = new StringBuilder("---\nbase: &l0\n");
    for (int i = 0; i < baseSize; i++) {
      yaml.append(baseIsMap ? "  k" + i + ": v\n" : "  - v\n");
    }
    int aliases = 0;
    for (int level = 1; level <= levels && aliases + fanOut <= 20; level++) {
      yaml.append("l").append(level).append(": &l").append(level).append('\n');
      for (int i = 0; i < fanOut; i++, aliases++) {
        yaml.append(useLists ? "  - *l" : "  a" + i + ": *l").append(level - 1).append('\n');
      }
    }
    return yaml.append("---\nbody\n").toString();
  }

  /** A YAML double-quoted scalar: every character that is not printable ASCII escaped. */
  private static String quoted(String value) {
    StringBuilder out = new StringBuilder("\"");
    value.codePoints().forEach(cp -> {
      if (cp == '"' || cp == '\\') {
        out.append('\\').appendCodePoint(cp);
      } else if (cp >= 0x20 && cp < 0x7f) {
        out.appendCodePoint(cp);
      } else if (cp <= 0xffff) {
        out.append(String.format("\\u%04x", cp));
      } else {
        out.append(String.format("\\U%08x", cp));
      }
    });
    return out.append('"').toString();
  }

  /** Decoded sources never hold unpaired surrogates (they come from strict UTF-8 decoding). */
  private static String withoutSurrogates(String text) {
    return text.codePoints().filter(cp -> cp < 0xd800 || cp > 0xdfff)
        .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
  }
}
