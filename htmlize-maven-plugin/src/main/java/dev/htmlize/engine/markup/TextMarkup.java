package dev.htmlize.engine.markup;

import dev.htmlize.plugin.RoleOccurrence;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The article's text format, reproducing its Go program's output byte for byte. As that program does: a paragraph
 * ends where two line feeds follow each other (a line of only spaces or tabs does not end one), the line feeds after
 * it are skipped, its own line feeds become spaces and nothing else of it changes; only the text after the last
 * paragraph break is trimmed at both ends (of what Go's {@code strings.TrimSpace} trims). Each paragraph becomes
 * {@code <p>…</p>} followed by a blank line, and roles are {@code :(\w+):`([^`]*)`} anywhere in the result (so a role's
 * value may run over a paragraph break, as in the article). Text passes through unescaped, as in the article (raw
 * HTML is allowed, as in Markdown).
 */
public final class TextMarkup implements Markup {
  private static final Pattern ROLE = Pattern.compile(":(\\w+):`([^`]*)`");
  private static final String OPEN = "<p>";
  private static final String CLOSE = "</p>\n\n";

  @Override
  public MarkupDocument parse(String body, int firstLine) {
    Paragraphs paragraphs = new Paragraphs(body, firstLine);
    String text = paragraphs.text.toString();
    List<RoleOccurrence> roles = new ArrayList<>();
    List<int[]> spans = new ArrayList<>();
    Matcher matcher = ROLE.matcher(text);
    while (matcher.find()) {
      roles.add(new RoleOccurrence(matcher.group(1), matcher.group(2), paragraphs.lineAt(matcher.start())));
      spans.add(new int[] {matcher.start(), matcher.end()});
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
        StringBuilder out = new StringBuilder(text.length());
        int from = 0;
        for (int i = 0; i < spans.size(); i++) {
          int[] span = spans.get(i);
          String html = roleHtml.get(i);
          out.append(text, from, span[0]).append(html != null ? html : text.substring(span[0], span[1]));
          from = span[1];
        }
        return out.append(text, from, text.length()).toString();
      }
    };
  }

  /** The paragraphs as the article's program writes them, and where each of their characters came from. */
  private static final class Paragraphs {
    final StringBuilder text = new StringBuilder();
    /** For each paragraph: where its content starts in {@link #text}, and in the body. */
    private final List<int[]> starts = new ArrayList<>();
    /** The offsets of the body's line feeds, in order. */
    private final int[] lineFeeds;
    private final int firstLine;

    Paragraphs(String body, int firstLine) {
      this.firstLine = firstLine;
      this.lineFeeds = lineFeeds(body);
      int n = body.length();
      int p = 0;
      while (p < n) {
        int start = p;
        int end;
        int next = body.indexOf("\n\n", p);
        if (next >= 0) {
          end = next;
          p = next + 1;
        } else {
          while (start < n && isGoSpace(body.charAt(start))) {
            start++;
          }
          end = n;
          while (end > start && isGoSpace(body.charAt(end - 1))) {
            end--;
          }
          p = n;
        }
        text.append(OPEN);
        starts.add(new int[] {text.length(), start});
        for (int i = start; i < end; i++) {
          char c = body.charAt(i);
          text.append(c == '\n' ? ' ' : c);
        }
        text.append(CLOSE);
        while (p < n && body.charAt(p) == '\n') {
          p++;
        }
      }
    }

    /** The body's line of a character of the text (a role's start is always a paragraph's own character). */
    int lineAt(int textOffset) {
      int found = Collections.binarySearch(starts, new int[] {textOffset, 0}, (a, b) -> Integer.compare(a[0], b[0]));
      int[] paragraph = starts.get(found >= 0 ? found : Math.max(0, -found - 2));
      int bodyOffset = paragraph[1] + Math.max(0, textOffset - paragraph[0]);
      int before = Arrays.binarySearch(lineFeeds, bodyOffset);
      return firstLine + (before >= 0 ? before : -before - 1);
    }

    private static int[] lineFeeds(String body) {
      int count = 0;
      for (int i = 0; i < body.length(); i++) {
        if (body.charAt(i) == '\n') {
          count++;
        }
      }
      int[] offsets = new int[count];
      for (int i = 0, k = 0; i < body.length(); i++) {
        if (body.charAt(i) == '\n') {
          offsets[k++] = i;
        }
      }
      return offsets;
    }
  }

  /** What Go's {@code unicode.IsSpace} calls space, which {@code strings.TrimSpace} trims (not Java's set). */
  static boolean isGoSpace(char c) {
    return switch (c) {
      case '\t', '\n', '\u000B', '\f', '\r', ' ', '\u0085', '\u00A0', '\u1680', '\u2028', '\u2029', '\u202F',
          '\u205F', '\u3000' -> true;
      default -> c >= '\u2000' && c <= '\u200A';
    };
  }
}
