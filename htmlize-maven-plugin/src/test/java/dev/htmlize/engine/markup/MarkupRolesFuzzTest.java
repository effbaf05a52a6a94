package dev.htmlize.engine.markup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.htmlize.plugin.RoleOccurrence;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Fuzz tests of the role parsers of both markups: any text parses and renders; every role found is rendered once, in
 * order, where it was; a role written from a name and a value reads back as that name, value and line; in Markdown no
 * role is ever found inside a code span or code block; the text format makes the paragraphs the article's program
 * makes and finds exactly what its regular expression finds in them.
 *
 * <p>A normal test run replays the inputs under {@code MarkupRolesFuzzTestInputs/<method>/} in the test resources;
 * {@code dev/fuzz} fuzzes each method in turn.
 */
class MarkupRolesFuzzTest {
  private static final Pattern ARTICLE_ROLE = Pattern.compile(":(\\w+):`([^`]*)`");

  private final MarkdownMarkup markdown = new MarkdownMarkup();
  private final TextMarkup text = new TextMarkup();

  @FuzzTest
  void anyMarkdownRendersEachRoleOnceInOrderOnALineOfThePage(FuzzedDataProvider data) {
    int firstLine = data.consumeInt(1, 40);
    String body = markdownBody(data);
    checkRendersEachRoleOnce(markdown.parse(body, firstLine), body, firstLine);
  }

  @FuzzTest
  void anyTextFindsWhatTheArticlesRegularExpressionFindsAndRendersEachRoleOnce(FuzzedDataProvider data) {
    int firstLine = data.consumeInt(1, 40);
    String body = textBody(data);

    MarkupDocument document = text.parse(body, firstLine);

    // The model: the article's program, step by step, then its regular expression over the whole result.
    String paragraphs = articleParagraphs(body);
    List<String> expected = new ArrayList<>();
    Matcher matcher = ARTICLE_ROLE.matcher(paragraphs);
    while (matcher.find()) {
      expected.add(matcher.group(1) + "=" + matcher.group(2));
    }
    assertThat(document.roles()).extracting(r -> r.role() + "=" + r.value()).containsExactlyElementsOf(expected);
    assertThat(document.render(Collections.nCopies(expected.size(), null))).isEqualTo(paragraphs);

    checkRendersEachRoleOnce(document, body, firstLine);
    String[] lines = body.split("\n", -1);
    for (RoleOccurrence role : document.roles()) {
      // The role's start is on the line it names (lines are joined with a space, so ":name:`" never spans two).
      assertThat(lines[role.line() - firstLine]).contains(":" + role.role() + ":`");
    }
    // Unknown roles are left as written: rendering each role as its own source changes nothing.
    List<String> asWritten = document.roles().stream().map(r -> ":" + r.role() + ":`" + r.value() + "`").toList();
    assertThat(document.render(asWritten)).isEqualTo(document.render(Collections.nCopies(asWritten.size(), null)));
  }

  @FuzzTest
  void aRoleWrittenFromANameAndAValueReadsBack(FuzzedDataProvider data) {
    int firstLine = data.consumeInt(1, 40);
    List<List<WrittenRole>> paragraphs = writtenRoles(data);
    StringBuilder body = new StringBuilder();
    List<RoleOccurrence> expected = new ArrayList<>();
    for (int i = 0; i < paragraphs.size(); i++) {
      body.append("word");
      for (WrittenRole role : paragraphs.get(i)) {
        body.append(' ').append(role.markdown()).append(" and");
        expected.add(new RoleOccurrence(role.name(), role.value(), firstLine + 2 * i));
      }
      body.append(" end\n\n");
    }

    assertThat(markdown.parse(body.toString(), firstLine).roles()).containsExactlyElementsOf(expected);
  }

  @FuzzTest
  void markdownNeverFindsARoleInsideCode(FuzzedDataProvider data) {
    String span = noise(data);
    List<String> fenced = noiseLines(data);
    List<String> indented = noiseLines(data);
    String spanFence = "`".repeat(longestRun(span, '`') + 1);
    String blockFence = "~".repeat(Math.max(3, fenced.stream().mapToInt(l -> longestRun(l, '~')).max().orElse(0) + 1));
    List<String> lines = new ArrayList<>();
    lines.add("code " + spanFence + " " + span + " " + spanFence + " after");
    lines.add("");
    lines.add(blockFence);
    lines.addAll(fenced);
    lines.add(blockFence);
    lines.add("");
    indented.forEach(l -> lines.add("    " + l));
    lines.add("");
    lines.add("end :real:`ok`");
    String body = String.join("\n", lines) + "\n";

    MarkupDocument document = markdown.parse(body, 1);

    assertThat(document.roles()).containsExactly(new RoleOccurrence("real", "ok", lines.size()));
    String html = document.render(List.of("<b>ok</b>"));
    assertThat(html).contains("<b>ok</b>");
    for (String line : fenced) {
      assertThat(html).contains(escape(line));
    }
  }

  /**
   * Found by a bounded-time check on openers of growing lengths (a Markdown paragraph of {@code :a:`x},
   * {@code :a:``x}, {@code :a:```x}, …): each unclosed opener searched the rest of the paragraph, 2 MB took seconds
   * and 8 MB most of a minute. An opener length known to have no closing string is no longer searched for again.
   */
  @Test
  void regressionOpenersOfGrowingLengthsParseInLinearTime() {
    String body = IntStream.rangeClosed(1, 4000).mapToObj(n -> ":a:" + "`".repeat(n) + "x ")
        .collect(Collectors.joining());

    MarkupDocument document = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> markdown.parse(body, 1));

    // Only the two-backtick opener has a meaning of its own without a closing string: the empty value.
    assertThat(document.roles()).containsExactly(new RoleOccurrence("a", "", 1));
  }

  /**
   * Found by {@link #anyMarkdownRendersEachRoleOnceInOrderOnALineOfThePage}: a role in an image's description was
   * sent to its plugin, and the answer dropped with the role's text, since alt text is plain text.
   */
  @Test
  void regressionARoleInAnImageDescriptionIsItsValueInTheAltText() {
    MarkupDocument document = markdown.parse("![a :tt:`x<y` b](u.png) and :tt:`z`\n", 1);

    assertThat(document.roles()).containsExactly(new RoleOccurrence("tt", "z", 1));
    assertThat(document.render(List.of("<b>Z</b>")))
        .isEqualTo("<p><img src=\"u.png\" alt=\"a x&lt;y b\" /> and <b>Z</b></p>\n");
  }

  @Test
  void aBlockWithAnUnclosedOpenerStillClosesTheSameLengthInTheNextBlock() {
    MarkupDocument document = markdown.parse(":a:```x\n\n:b:```y``` and :c:```z\n\n:d:```w```\n", 1);

    assertThat(document.roles()).containsExactly(new RoleOccurrence("b", "y", 3), new RoleOccurrence("d", "w", 5));
  }

  /**
   * The article's {@code insertParagraphs}: from each paragraph's start, up to the next two line feeds (or, for the
   * last, the rest trimmed as Go's {@code strings.TrimSpace} trims), its line feeds made spaces, in {@code <p>} and
   * {@code </p>} and a blank line; then past the line feeds that follow.
   */
  private static String articleParagraphs(String s) {
    StringBuilder out = new StringBuilder();
    int p = 0;
    while (p < s.length()) {
      String paragraph;
      int next = s.indexOf("\n\n", p);
      if (next >= 0) {
        paragraph = s.substring(p, next);
        p = next + 1;
      } else {
        int start = p;
        int end = s.length();
        while (start < end && TextMarkup.isGoSpace(s.charAt(start))) {
          start++;
        }
        while (end > start && TextMarkup.isGoSpace(s.charAt(end - 1))) {
          end--;
        }
        paragraph = s.substring(start, end);
        p = s.length();
      }
      out.append("<p>").append(String.join(" ", paragraph.split("\n", -1))).append("</p>\n\n");
      while (p < s.length() && s.charAt(p) == '\n') {
        p++;
      }
    }
    return out.toString();
  }

  private static void checkRendersEachRoleOnce(MarkupDocument document, String body, int firstLine) {
    int lines = body.split("\n", -1).length;
    List<RoleOccurrence> roles = document.roles();
    // Markers the page cannot hold itself: raw HTML passes through, so a page may hold "<x-role-0/>" (the fuzzer
    // found that one), and text that is no HTML comes out with its "<" escaped.
    String tag = "x-role";
    while (body.contains(tag)) {
      tag += "x";
    }
    String prefix = "<" + tag + "-";
    List<String> markers = IntStream.range(0, roles.size()).mapToObj(i -> prefix + i + "/>").toList();
    String html = document.render(markers);
    int from = 0;
    for (int i = 0; i < roles.size(); i++) {
      assertThat(roles.get(i).line()).isBetween(firstLine, firstLine + lines - 1);
      int at = html.indexOf(markers.get(i), from);
      assertThat(at).as("role %d rendered after role %d", i, i - 1).isGreaterThanOrEqualTo(from);
      assertThat(html.indexOf(markers.get(i), at + 1)).isEqualTo(-1);
      from = at + markers.get(i).length();
    }
    assertThat(document.render(Collections.nCopies(roles.size(), null))).isNotNull();
  }

  private static int longestRun(String text, char c) {
    int longest = 0;
    int run = 0;
    for (int i = 0; i < text.length(); i++) {
      run = text.charAt(i) == c ? run + 1 : 0;
      longest = Math.max(longest, run);
    }
    return longest;
  }

  private static String escape(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }

  /** A role as written in Markdown, with the name and value it stands for. */
  record WrittenRole(String name, String value, String markdown) {
    static WrittenRole of(String name, String value) {
      int ticks = longestRun(value, '`') + 1;
      // As for code spans: a value that starts or ends with a backtick, or with a space at both ends, is padded with
      // one space each side, which the parser strips when the fence is longer than one backtick.
      boolean pad = ticks > 1 && (value.startsWith("`") || value.endsWith("`")
          || (value.startsWith(" ") && value.endsWith(" ") && !value.isBlank()));
      String fence = "`".repeat(value.isEmpty() ? 2 : ticks);
      String written = value.isEmpty() ? ":" + name + ":``"
          : ":" + name + ":" + fence + (pad ? " " + value + " " : value) + fence;
      return new WrittenRole(name, value, written);
    }
  }

  private static final String NAME_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_";
  private static final List<String> MARKDOWN_FRAGMENTS = List.of(":tt:`x`", ":a:``", ":b:`` ` ``", ":c:```", "`", "``",
      "`code`", "\n", "\n\n", "> ", "- ", "1. ", "    ", "```\n", "~~~\n", "# ", "[", "![", "](u)", "![:tt:`x`](u)",
      "*", "_", "<div>", "</div>", "\\", ":", "::", "|", "\t", "<!-- x -->", ":tt:`a\nb`", "---\n", "===\n",
      "&amp;", "\u00a0", "日本");
  private static final List<String> TEXT_FRAGMENTS = List.of(":tt:`x`", ":a:``", ":b:`` ` ``", "`", ":", "\n", "\n\n",
      "\n  \n", " ", "\t", ":x_1:`", "w");
  private static final List<String> ROLES = List.of(":tt:`x`", ":a:``", ":b:`` ` ``", ":c:```y```", "`:tt:`x``");

  /** Up to five paragraphs of up to four roles each, written from names and values. */
  private static List<List<WrittenRole>> writtenRoles(FuzzedDataProvider data) {
    List<List<WrittenRole>> paragraphs = new ArrayList<>();
    for (int p = data.consumeInt(0, 5); p > 0; p--) {
      List<WrittenRole> roles = new ArrayList<>();
      for (int r = data.consumeInt(0, 4); r > 0; r--) {
        roles.add(WrittenRole.of(chars(data, NAME_CHARS, 1, 8), roleValue(data)));
      }
      // An empty value is two backticks with no closing pair, so it can only be the last backticks of its paragraph.
      List<WrittenRole> kept = new ArrayList<>(roles.stream().filter(r -> !r.value().isEmpty()).toList());
      roles.stream().filter(r -> r.value().isEmpty()).findFirst().ifPresent(kept::add);
      paragraphs.add(kept);
    }
    return paragraphs;
  }

  /** Any text of one line: sources are decoded (no unpaired surrogates) and CommonMark reads NUL as U+FFFD. */
  private static String roleValue(FuzzedDataProvider data) {
    String value = data.consumeBoolean() ? data.consumeString(20) : chars(data, "`` ab:\\*_[]<>&\t", 0, 12);
    return value.codePoints().filter(cp -> cp != '\n' && cp != '\r' && cp != 0 && (cp < 0xd800 || cp > 0xdfff))
        .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
  }

  private static String markdownBody(FuzzedDataProvider data) {
    return withoutSurrogates(fragments(data, MARKDOWN_FRAGMENTS, ":`ab \n>*[]").replace('\r', '\n')
        .replace('\u0000', ' '));
  }

  private static String textBody(FuzzedDataProvider data) {
    return withoutSurrogates(fragments(data, TEXT_FRAGMENTS, ":`ab_ \t\n\u00a0").replace('\r', '\n'));
  }

  /** Up to 40 fragments: known ones, runs of the given characters, any text; or, at times, any text alone. */
  private static String fragments(FuzzedDataProvider data, List<String> known, String chars) {
    if (data.consumeInt(0, 7) == 0) {
      return data.consumeRemainingAsString();
    }
    StringBuilder text = new StringBuilder();
    for (int n = data.consumeInt(0, 40); n > 0; n--) {
      text.append(switch (data.consumeInt(0, 2)) {
        case 0 -> data.pickValue(known);
        case 1 -> chars(data, chars, 0, 10);
        default -> data.consumeString(10);
      });
    }
    return text.toString();
  }

  /** One line of text that looks like roles, code and escapes. */
  private static String noise(FuzzedDataProvider data) {
    String noise = switch (data.consumeInt(0, 5)) {
      case 0, 1, 2 -> chars(data, ":`a ~\\<&", 0, 20);
      case 3, 4 -> data.pickValue(ROLES);
      default -> data.consumeString(10);
    };
    return withoutSurrogates(noise.replace('\n', ' ').replace('\r', ' ').replace('\u0000', ' '));
  }

  /** Code lines: anything but a line of blanks alone (an indented block drops trailing blank lines). */
  private static List<String> noiseLines(FuzzedDataProvider data) {
    List<String> lines = new ArrayList<>();
    for (int n = data.consumeInt(1, 4); n > 0; n--) {
      String line = noise(data);
      lines.add(line.isBlank() ? line + "x" : line);
    }
    return lines;
  }

  private static String chars(FuzzedDataProvider data, String chars, int min, int max) {
    StringBuilder text = new StringBuilder();
    for (int n = data.consumeInt(min, max); n > 0; n--) {
      text.append(chars.charAt(data.consumeInt(0, chars.length() - 1)));
    }
    return text.toString();
  }

  private static String withoutSurrogates(String text) {
    return text.codePoints().filter(cp -> cp < 0xd800 || cp > 0xdfff)
        .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
  }
}
