package dev.htmlize.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.htmlize.engine.FrontMatter.FrontMatterException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Fuzz tests of the front-matter reader: it returns a page or fails with {@link FrontMatterException} naming a line of
 * the file; front matter written from values reads back as those values; no front matter makes it work for long or
 * produce an unbounded number of values.
 */
class FrontMatterFuzzTest {

  @Property
  void anyTextReadsOrFailsNamingALineOfIt(@ForAll("sources") String text) {
    try {
      FrontMatter front = FrontMatter.read(text, "p.md");
      assertThat(front.bodyLine()).isBetween(1, lineCount(text) + 1);
      assertThat(text).endsWith(front.body());
      assertThat(front.metadata().size()).isLessThanOrEqualTo(FrontMatter.MAX_VALUES);
    } catch (FrontMatterException e) {
      assertThat(e.line()).as(e.getMessage()).isBetween(1, lineCount(text));
      assertThat(e.getMessage()).isNotBlank();
    }
  }

  @Property
  void frontMatterWrittenFromValuesReadsBackAsThoseValues(@ForAll("pages") Page page) throws Exception {
    FrontMatter front = FrontMatter.read(page.text(), "p.md");

    assertThat(front.title()).isEqualTo(page.title().filter(t -> !t.isBlank()));
    assertThat(front.author()).isEqualTo(page.author().filter(a -> !a.isBlank()));
    assertThat(front.date()).isEqualTo(page.date());
    assertThat(front.tags()).isEqualTo(page.tags());
    assertThat(front.metadata()).isEqualTo(page.metadata());
    assertThat(front.body()).isEqualTo(page.body());
    assertThat(front.bodyLine()).isEqualTo(page.bodyLine());
  }

  @Property(tries = 200)
  void aliasesCannotBlowUpTheValues(@ForAll("laughs") String text) {
    try {
      assertThat(FrontMatter.read(text, "p.md").metadata().size()).isLessThanOrEqualTo(FrontMatter.MAX_VALUES);
    } catch (FrontMatterException e) {
      assertThat(e.line()).isBetween(1, lineCount(text));
    }
  }

  /**
   * Found by {@link #aliasesCannotBlowUpTheValues}: twenty aliases (the most a document may have) multiplied a map of
   * 1,000 keys into 111,000 metadata values, sent to every plugin with every call for the page. Now an error at the
   * key that expands too far.
   */
  @Example
  void regressionAliasesThatExpandToTooManyValuesAreAnError() {
    String base = IntStream.range(0, 1000).mapToObj(i -> "  k" + i + ": v").collect(Collectors.joining("\n"));
    String text = "---\nbase: &b\n" + base + "\nlevel1: &l1\n"
        + IntStream.range(0, 10).mapToObj(i -> "  a" + i + ": *b").collect(Collectors.joining("\n"))
        + "\nlevel2:\n" + IntStream.range(0, 10).mapToObj(i -> "  c" + i + ": *l1").collect(Collectors.joining("\n"))
        + "\n---\nbody\n";

    assertTimeoutPreemptively(Duration.ofSeconds(20), () -> assertThatThrownBy(() -> FrontMatter.read(text, "p.md"))
        .isInstanceOf(FrontMatterException.class)
        .hasMessageStartingWith("front matter has more than 1000 values (aliases expanded) by key level1;")
        .satisfies(e -> assertThat(((FrontMatterException) e).line()).isEqualTo(1003)));
  }

  private static int lineCount(String text) {
    return (int) text.chars().filter(c -> c == '\n').count() + 1;
  }

  /** A page written from values, and the values. */
  record Page(String text, Optional<String> title, Optional<String> author, String date, List<String> tags,
              Map<String, String> metadata, String body, int bodyLine) {
  }

  @Provide
  Arbitrary<Page> pages() {
    Arbitrary<String> value = Arbitraries.oneOf(Arbitraries.strings().all().ofMaxLength(30),
            Arbitraries.strings().withChars("ab :#-\n\t\"'\\[]{}&*!|>%@`,").ofMaxLength(20))
        .map(FrontMatterFuzzTest::withoutSurrogates);
    Arbitrary<String> key = Arbitraries.strings().withCharRange('a', 'z').withChars('_', '-', '0').ofMinLength(1)
        .ofMaxLength(8).filter(k -> !List.of("title", "author", "date", "tags").contains(k));
    Arbitrary<Map<String, String>> metadata = Arbitraries.maps(key, value).ofMaxSize(5);
    Arbitrary<String> body = Arbitraries.oneOf(Arbitraries.strings().all().ofMaxLength(50),
        Arbitraries.of("", "---\n", "# Title\n\ntext\n", "...\n")).map(FrontMatterFuzzTest::withoutSurrogates)
        .map(s -> s.replace('\r', '\n'));
    return Combinators.combine(value.optional(), value.optional(), value, value.list().ofMaxSize(4), metadata, body,
            Arbitraries.of("---", "..."))
        .as((title, author, date, tags, meta, text, closing) -> {
          List<String> lines = new ArrayList<>();
          lines.add("---");
          title.ifPresent(t -> lines.add("title: " + quoted(t)));
          author.ifPresent(a -> lines.add("author: " + quoted(a)));
          lines.add("date: " + quoted(date));
          if (!tags.isEmpty()) {
            lines.add("tags:");
            tags.forEach(t -> lines.add("  - " + quoted(t)));
          }
          meta.forEach((k, v) -> lines.add(k + ": " + quoted(v)));
          lines.add(closing);
          String text1 = String.join("\n", lines) + "\n" + text;
          return new Page(text1, title, author, date, tags, new LinkedHashMap<>(meta), text, lines.size() + 1);
        });
  }

  @Provide
  Arbitrary<String> sources() {
    Arbitrary<String> yamlLine = Arbitraries.oneOf(
        Arbitraries.of("title: x", "tags: [a, b", "tags: a, b", "a:", "  b: c", "- x", "a: &x [1, 2]", "b: *x",
            "c: *missing", "? [a]\n: b", "a: {b: {c: {d: 1}}}", "a: !!binary AAAA", "%YAML 1.2", "a: |", "  text",
            "'unclosed", "\"\\q\"", "a: b: c", "\t- tab", "a: 1\u2028b: 2", "x: \u0085", "...", "--- ", "---",
            "!!map {}", "&a a: 1", "<<: *x", "a: [" + "[".repeat(60), "key: \"\\ud800\""),
        Arbitraries.strings().all().ofMaxLength(20),
        Arbitraries.strings().withChars("ab:-[]{}&*!|>'\" \t#?,\u2028\u0085").ofMaxLength(30));
    Arbitrary<String> frontMatter = yamlLine.list().ofMaxSize(8).map(lines -> String.join("\n", lines));
    return Combinators.combine(Arbitraries.of("---\n", "---", "--- \n", ""), frontMatter,
            Arbitraries.of("\n---\n", "\n...\n", "\n", "", "\n---"), Arbitraries.strings().all().ofMaxLength(20))
        .as((open, yaml, close, body) -> withoutSurrogates(open + yaml + close + body).replace('\r', '\n'));
  }

  @Provide
  Arbitrary<String> laughs() {
    // Anchored maps and lists, each level made of aliases to the one before: YAML's "billion laughs".
    return Combinators.combine(Arbitraries.integers().between(1, 3000), Arbitraries.integers().between(1, 6),
            Arbitraries.integers().between(1, 10), Arbitraries.of(true, false), Arbitraries.of(true, false))
        .as((baseSize, levels, fanOut, baseIsMap, useLists) -> {
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
        });
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
