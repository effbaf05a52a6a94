package dev.htmlize.engine.markup;

/** A markup format. Implementations are immutable and thread-safe. */
public interface Markup {
  /**
   * Parses a page body.
   *
   * @param body      the text after front matter, with {@code \n} line ends
   * @param firstLine the 1-based line of the source file on which the body starts
   */
  MarkupDocument parse(String body, int firstLine);
}
