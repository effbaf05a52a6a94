package dev.htmlize.engine.markup;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.commonmark.parser.SourceLines;
import org.commonmark.parser.beta.InlineContentParser;
import org.commonmark.parser.beta.InlineContentParserFactory;
import org.commonmark.parser.beta.InlineParserState;
import org.commonmark.parser.beta.ParsedInline;
import org.commonmark.parser.beta.Position;
import org.commonmark.parser.beta.Scanner;

/**
 * Parses roles as an inline syntax of CommonMark: {@code :name:} (letters, digits, underscores) directly followed by
 * a backtick string, the value, and a closing backtick string of the same length, like a code span. Since it is a
 * part of inline parsing, a role is never recognized inside a code span or a code block.
 *
 * <ul>
 *   <li>{@code :tt:`value`} is the common form; the value is taken as written.</li>
 *   <li>{@code :tt:`` a `b` ``} holds backticks: with two or more backticks, one space is stripped from each end
 *       when both ends have one, as for code spans.</li>
 *   <li>{@code :tt:``} with no closing pair is the empty value, as the text format reads it.</li>
 *   <li>A value that spans lines has its line ends turned into spaces.</li>
 * </ul>
 */
final class RoleInlineParser implements InlineContentParser {
  static final InlineContentParserFactory FACTORY = new InlineContentParserFactory() {
    @Override
    public Set<Character> getTriggerCharacters() {
      return Set.of(':');
    }

    @Override
    public InlineContentParser create() {
      return new RoleInlineParser();
    }
  };

  /**
   * After the first search for a closing backtick string that failed: how many backtick strings of each length
   * follow the point where it started. A search goes to the end of the block when it fails, so without this a block
   * of openers of growing lengths took quadratic time. One parser per block (commonmark-java makes them for each
   * inline parse), so this never outlives the block.
   */
  private Map<Integer, Integer> runsAfterFailure;

  @Override
  public ParsedInline tryParse(InlineParserState state) {
    Scanner scanner = state.scanner();
    Position start = scanner.position();
    scanner.next();
    Position nameStart = scanner.position();
    if (scanner.match(RoleInlineParser::isWordChar) == 0) {
      return ParsedInline.none();
    }
    Position nameEnd = scanner.position();
    if (!scanner.next(':')) {
      return ParsedInline.none();
    }
    int ticks = scanner.matchMultiple('`');
    if (ticks == 0) {
      return ParsedInline.none();
    }
    Position valueStart = scanner.position();
    // Every opener after a failed search is itself one of the runs that search counted: if no other run of its
    // length was counted, it has no closing string.
    boolean mayClose = runsAfterFailure == null || runsAfterFailure.getOrDefault(ticks, 0) > 1;
    Map<Integer, Integer> runs = runsAfterFailure == null ? new HashMap<>() : null;
    while (mayClose && scanner.find('`') >= 0) {
      Position valueEnd = scanner.position();
      int run = scanner.matchMultiple('`');
      if (runs != null) {
        runs.merge(run, 1, Integer::sum);
      }
      if (run == ticks) {
        String value = scanner.getSource(valueStart, valueEnd).getContent().replace('\n', ' ');
        if (ticks > 1 && value.length() >= 2 && value.startsWith(" ") && value.endsWith(" ") && !value.isBlank()) {
          value = value.substring(1, value.length() - 1);
        }
        return node(scanner, start, nameStart, nameEnd, value);
      }
    }
    if (mayClose && runs != null) {
      runsAfterFailure = runs;
    }
    if (ticks == 2) {
      scanner.setPosition(valueStart);
      return node(scanner, start, nameStart, nameEnd, "");
    }
    return ParsedInline.none();
  }

  private static ParsedInline node(Scanner scanner, Position start, Position nameStart, Position nameEnd,
                                   String value) {
    Position end = scanner.position();
    String name = scanner.getSource(nameStart, nameEnd).getContent();
    SourceLines source = scanner.getSource(start, end);
    RoleNode node = new RoleNode(name, value, source.getContent());
    node.setSourceSpans(source.getSourceSpans());
    return ParsedInline.of(node, end);
  }

  private static boolean isWordChar(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  }
}
