package dev.htmlize.engine;

import dev.htmlize.engine.markup.MarkupDocument;
import dev.htmlize.plugin.Post;
import java.util.Map;

/**
 * A source read and parsed: its markup document, ready to render, and its Post, what the site knows of it.
 *
 * @param source   relative to the source directory, {@code /}-separated
 * @param document the parsed body; used by one thread at a time
 * @param post     its metadata
 * @param keyLines the line of each front-matter key, for problems found with its value after the page was read
 */
record ParsedPage(String source, MarkupDocument document, Post post, Map<String, Integer> keyLines) {
  /** The line of a front-matter key, or 0 when the page has none. */
  int lineOf(String key) {
    return keyLines.getOrDefault(key, 0);
  }
}
