package dev.htmlize.engine;

import dev.htmlize.engine.markup.MarkupDocument;
import dev.htmlize.plugin.Post;

/**
 * A source read and parsed: its markup document, ready to render, and its Post, what the site knows of it.
 *
 * @param source   relative to the source directory, {@code /}-separated
 * @param document the parsed body; used by one thread at a time
 * @param post     its metadata
 */
record ParsedPage(String source, MarkupDocument document, Post post) {
}
