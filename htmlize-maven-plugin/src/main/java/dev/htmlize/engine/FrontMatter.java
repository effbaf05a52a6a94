package dev.htmlize.engine;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * YAML front matter: a first line {@code ---}, YAML, and a line {@code ---} (or {@code ...}). Values are kept as
 * written (a date stays {@code 2024-01-02}, {@code 1.50} stays {@code 1.50}): the YAML is composed, not converted to
 * Java types. {@code title}, {@code author}, {@code date} and {@code tags} (a list, or text separated by commas) are
 * known; the other keys become metadata, nested keys joined with dots and lists with {@code ", "}. At most
 * {@value #MAX_VALUES} values, aliases expanded, and {@value #MAX_DEPTH} levels of nesting: the metadata travels with
 * every plugin call.
 *
 * @param title      the {@code title}, or empty
 * @param author     the {@code author}, or empty
 * @param date       the {@code date} as written, or empty
 * @param tags       the {@code tags}
 * @param metadata   every other key
 * @param body       the text after the front matter
 * @param bodyLine   the 1-based line on which the body starts
 * @param keyLines   the line of each top-level key, for problems with a value found later (an unknown layout)
 */
record FrontMatter(Optional<String> title, Optional<String> author, String date, List<String> tags,
                   Map<String, String> metadata, String body, int bodyLine, Map<String, Integer> keyLines) {
  private static final int MAX_DEPTH = 16;
  /** The most values (metadata entries and tags) one page's front matter may hold, aliases expanded. */
  static final int MAX_VALUES = 1000;

  static FrontMatter read(String text, String label) throws SourceLineException {
    if (!(text.startsWith("---\n") || text.equals("---") || text.startsWith("--- \n"))) {
      return new FrontMatter(Optional.empty(), Optional.empty(), "", List.of(), Map.of(), text, 1, Map.of());
    }
    int start = text.indexOf('\n') + 1;
    int end = -1;
    int bodyStart = -1;
    int lineNumber = 2;
    int lineStart = start;
    while (lineStart <= text.length() && start > 0) {
      int lineEnd = text.indexOf('\n', lineStart);
      String line = (lineEnd < 0 ? text.substring(lineStart) : text.substring(lineStart, lineEnd)).stripTrailing();
      if (line.equals("---") || line.equals("...")) {
        end = lineStart;
        bodyStart = lineEnd < 0 ? text.length() : lineEnd + 1;
        break;
      }
      if (lineEnd < 0) {
        break;
      }
      lineStart = lineEnd + 1;
      lineNumber++;
    }
    if (end < 0) {
      throw new SourceLineException("front matter starts with --- on line 1 but has no closing --- line", 1);
    }
    String yaml = text.substring(start, end);
    Map<String, String> values = new LinkedHashMap<>();
    List<String> tags = new ArrayList<>();
    Map<String, Integer> keyLines = new LinkedHashMap<>();
    boolean tagsSeen = false;
    try {
      // Non-scalar keys are let through to be refused below, at their own line.
      Optional<Node> root = new Compose(LoadSettings.builder().setLabel(label).setMaxAliasesForCollections(20)
          .setAllowNonScalarKeys(true).build()).composeString(yaml);
      if (root.isPresent()) {
        if (!(root.get() instanceof MappingNode mapping)) {
          throw new SourceLineException("front matter must be a mapping of keys to values", 2);
        }
        for (NodeTuple tuple : mapping.getValue()) {
          String key = scalar(tuple.getKeyNode(), line(tuple.getKeyNode()));
          if (values.containsKey(key) || (key.equals("tags") && tagsSeen)) {
            throw new SourceLineException("duplicate key " + key, line(tuple.getKeyNode()));
          }
          keyLines.put(key, line(tuple.getKeyNode()));
          if (key.equals("tags")) {
            tagsSeen = true;
            tags.addAll(tags(tuple.getValueNode()));
          } else {
            flatten(key, tuple.getValueNode(), values, 0);
          }
          if (values.size() + tags.size() > MAX_VALUES) {
            throw tooManyValues(tuple.getKeyNode());
          }
        }
      }
    } catch (MarkedYamlEngineException e) {
      int line = e.getProblemMark().map(Mark::getLine).orElse(0) + 2;
      throw new SourceLineException("invalid front matter: " + e.getProblem(), line);
    } catch (YamlEngineException e) {
      throw new SourceLineException("invalid front matter: " + e.getMessage(), 2);
    }
    Optional<String> title = Optional.ofNullable(values.remove("title")).filter(s -> !s.isBlank());
    Optional<String> author = Optional.ofNullable(values.remove("author")).filter(s -> !s.isBlank());
    String date = Optional.ofNullable(values.remove("date")).orElse("");
    return new FrontMatter(title, author, date, tags, values, text.substring(bodyStart), lineNumber + 1,
        keyLines);
  }

  private static List<String> tags(Node node) throws SourceLineException {
    List<String> tags = new ArrayList<>();
    if (node instanceof SequenceNode sequence) {
      for (Node item : sequence.getValue()) {
        tags.add(scalar(item, line(item)));
        if (tags.size() > MAX_VALUES) {
          break; // too many already: read() reports it at the key
        }
      }
    } else {
      for (String tag : scalar(node, line(node)).split(",")) {
        if (!tag.isBlank()) {
          tags.add(tag.strip());
        }
      }
    }
    return tags;
  }

  private static void flatten(String key, Node node, Map<String, String> out, int depth)
      throws SourceLineException {
    if (depth > MAX_DEPTH) {
      throw new SourceLineException("front matter nests deeper than " + MAX_DEPTH + " levels", line(node));
    }
    if (out.size() > MAX_VALUES) {
      return; // too many already: read() reports it at the top-level key
    }
    if (node instanceof ScalarNode scalar) {
      if (out.putIfAbsent(key, scalar.getValue()) != null) {
        throw new SourceLineException("duplicate key " + key, line(node));
      }
    } else if (node instanceof SequenceNode sequence) {
      List<String> items = new ArrayList<>();
      for (Node item : sequence.getValue()) {
        items.add(item instanceof ScalarNode s ? s.getValue() : "…");
      }
      out.put(key, String.join(", ", items));
    } else if (node instanceof MappingNode mapping) {
      for (NodeTuple tuple : mapping.getValue()) {
        flatten(key + "." + scalar(tuple.getKeyNode(), line(tuple.getKeyNode())), tuple.getValueNode(), out,
            depth + 1);
      }
    }
  }

  private static SourceLineException tooManyValues(Node key) {
    return new SourceLineException("front matter has more than " + MAX_VALUES + " values (aliases expanded) by key "
        + ((ScalarNode) key).getValue() + "; it is sent to the plugins with each call for the page", line(key));
  }

  private static String scalar(Node node, int line) throws SourceLineException {
    if (node instanceof ScalarNode scalar) {
      return scalar.getValue();
    }
    throw new SourceLineException("expected a plain value here", line);
  }

  private static int line(Node node) {
    return node.getStartMark().map(mark -> mark.getLine() + 2).orElse(2);
  }
}
