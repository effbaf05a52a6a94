/**
 * The markup formats: Markdown ({@link dev.htmlize.engine.markup.MarkdownMarkup}) and the article's text format
 * ({@link dev.htmlize.engine.markup.TextMarkup}). Each parses a page body into a {@link
 * dev.htmlize.engine.markup.MarkupDocument} whose role occurrences the engine hands to plugins before rendering it.
 */
package dev.htmlize.engine.markup;
