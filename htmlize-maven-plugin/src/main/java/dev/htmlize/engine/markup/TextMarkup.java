package dev.htmlize.engine.markup;

import dev.htmlize.plugin.RoleOccurrence;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The article's text format, reproducing its Go program's output byte for byte: paragraphs are separated by blank
 * lines; a paragraph's lines are trimmed and joined by one space; each paragraph becomes {@code <p>…</p>} followed by
 * a blank line; roles are {@code :(\w+):`([^`]*)`} in the joined text. Text passes through unescaped, as in the
 * article (raw HTML is allowed, as in Markdown).
 */
public final class TextMarkup implements Markup {
  private static final Pattern ROLE = Pattern.compile(":(\\w+):`([^`]*)`");

  @Override
  public MarkupDocument parse(String body, int firstLine) {
    List<Paragraph> paragraphs = paragraphs(body, firstLine);
    List<RoleOccurrence> roles = new ArrayList<>();
    for (Paragraph paragraph : paragraphs) {
      Matcher matcher = ROLE.matcher(paragraph.text);
      while (matcher.find()) {
        roles.add(new RoleOccurrence(matcher.group(1), matcher.group(2), paragraph.lineAt(matcher.start())));
        paragraph.roleSpans.add(new int[] {matcher.start(), matcher.end()});
      }
    }
    return new MarkupDocument() {
      @Override
      public List<RoleOccurrence> roles() {
        return List.copyOf(roles);
      }

      @Override
      public Optional<String> firstHeading() {
        return Optional.empty();
      }

      @Override
      public String render(List<String> roleHtml) {
        StringBuilder out = new StringBuilder();
        int next = 0;
        for (Paragraph paragraph : paragraphs) {
          out.append("<p>");
          int from = 0;
          for (int[] span : paragraph.roleSpans) {
            String html = roleHtml.get(next++);
            out.append(paragraph.text, from, span[0]);
            out.append(html != null ? html : paragraph.text.substring(span[0], span[1]));
            from = span[1];
          }
          out.append(paragraph.text, from, paragraph.text.length()).append("</p>\n\n");
        }
        return out.toString();
      }
    };
  }

  private static List<Paragraph> paragraphs(String body, int firstLine) {
    List<Paragraph> paragraphs = new ArrayList<>();
    Paragraph current = null;
    String[] lines = body.split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i].strip();
      if (line.isEmpty()) {
        current = null;
        continue;
      }
      if (current == null) {
        current = new Paragraph();
        paragraphs.add(current);
      } else {
        current.builder.append(' ');
      }
      current.lineStarts.add(new int[] {current.builder.length(), firstLine + i});
      current.builder.append(line);
    }
    paragraphs.forEach(p -> p.text = p.builder.toString());
    return paragraphs;
  }

  private static final class Paragraph {
    final StringBuilder builder = new StringBuilder();
    final List<int[]> lineStarts = new ArrayList<>();
    final List<int[]> roleSpans = new ArrayList<>();
    String text;

    int lineAt(int offset) {
      int line = lineStarts.get(0)[1];
      for (int[] start : lineStarts) {
        if (start[0] <= offset) {
          line = start[1];
        }
      }
      return line;
    }
  }
}
