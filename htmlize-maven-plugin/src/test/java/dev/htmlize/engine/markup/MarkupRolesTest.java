package dev.htmlize.engine.markup;

import static org.assertj.core.api.Assertions.assertThat;

import dev.htmlize.plugin.RoleOccurrence;
import java.util.Collections;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class MarkupRolesTest {
  private final MarkdownMarkup markdown = new MarkdownMarkup();
  private final TextMarkup text = new TextMarkup();

  /** Renders every role as [role|value]. */
  private static String renderBracketed(MarkupDocument document) {
    return document.render(document.roles().stream().map(r -> "[" + r.role() + "|" + r.value() + "]")
        .collect(Collectors.toList()));
  }

  @Test
  void findsRolesInMarkdownTextWithTheirLines() {
    MarkupDocument document = markdown.parse("# Title\n\nSee :tt:`x` and :kbd:`Ctrl+C`.\n\n:tt:`start` of a line\n",
        4);

    assertThat(document.roles()).containsExactly(new RoleOccurrence("tt", "x", 6),
        new RoleOccurrence("kbd", "Ctrl+C", 6), new RoleOccurrence("tt", "start", 8));
    assertThat(renderBracketed(document)).isEqualTo("<h1 id=\"title\">Title</h1>\n"
        + "<p>See [tt|x] and [kbd|Ctrl+C].</p>\n<p>[tt|start] of a line</p>\n");
  }

  @Test
  void neverSeesRolesInCodeSpansOrCodeBlocks() {
    MarkupDocument document = markdown.parse("Code `:tt:`x`` here.\n\n    :tt:`indented`\n\n```\n:tt:`fenced`\n```\n",
        1);

    assertThat(document.roles()).isEmpty();
    assertThat(document.render(List.of())).contains("<code>:tt:</code>x``", "<code>:tt:`indented`",
        "<code>:tt:`fenced`");
  }

  @Test
  void readsEmptyValuesBackticksInsideUnicodeAndTwoRolesOnALine() {
    MarkupDocument document = markdown.parse(
        "a :tt:`` b\n\nc :tt:`` `x` `` d :tt:`日本語 ünï` d:e:`f`\n", 1);

    assertThat(document.roles()).extracting(RoleOccurrence::value)
        .containsExactly("", "`x`", "日本語 ünï", "f");
    assertThat(document.roles()).extracting(RoleOccurrence::role).containsExactly("tt", "tt", "tt", "e");
  }

  @Test
  void leavesUnrenderedRolesAsWrittenAndEscaped() {
    MarkupDocument document = markdown.parse("x :a:`<b>` y\n", 1);

    assertThat(document.render(Collections.singletonList(null))).isEqualTo("<p>x :a:`&lt;b&gt;` y</p>\n");
  }

  @Test
  void isNotFooledByColonsThatAreNotRoles() {
    MarkupDocument document = markdown.parse("time 10:30, http://example.com, :a: b, :: `c`, :x:y`z`\n", 1);

    assertThat(document.roles()).isEmpty();
  }

  @Test
  void turnsLineEndsInAValueIntoSpaces() {
    MarkupDocument document = markdown.parse("a :tt:`one\ntwo` b\n", 1);

    assertThat(document.roles()).containsExactly(new RoleOccurrence("tt", "one two", 1));
  }

  @Test
  void takesTheTitleFromTheFirstTopLevelHeading() {
    assertThat(markdown.parse("## Sub\n\n# Main *title*\n", 1).firstHeading()).contains("Main title");
    assertThat(markdown.parse("just text\n", 1).firstHeading()).isEmpty();
  }

  @Test
  void rendersGithubTablesStrikethroughAutolinksAndAnchors() {
    String html = markdown.parse("# A b\n\n| x | y |\n|---|---|\n| 1 | 2 |\n\n~~old~~ www.example.com\n", 1)
        .render(List.of());

    assertThat(html).contains("<h1 id=\"a-b\">A b</h1>", "<table>", "<td>1</td>", "<del>old</del>",
        "<a href=\"http://www.example.com\">www.example.com</a>");
  }

  @Test
  void splitsTextIntoParagraphsAndFindsRolesWithTheirLines() {
    MarkupDocument document = text.parse("one :a:`x`\ntwo :b:`y`\n\n\n  three  \n", 3);

    assertThat(document.roles()).containsExactly(new RoleOccurrence("a", "x", 3), new RoleOccurrence("b", "y", 4));
    assertThat(renderBracketed(document)).isEqualTo("<p>one [a|x] two [b|y]</p>\n\n<p>three</p>\n\n");
    assertThat(document.render(java.util.Arrays.asList(null, null)))
        .isEqualTo("<p>one :a:`x` two :b:`y`</p>\n\n<p>three</p>\n\n");
  }

  @Test
  void readsTheEmptyValueInText() {
    assertThat(text.parse(":tt:`` and :tt:`a`\n", 1).roles()).extracting(RoleOccurrence::value)
        .containsExactly("", "a");
  }
}
