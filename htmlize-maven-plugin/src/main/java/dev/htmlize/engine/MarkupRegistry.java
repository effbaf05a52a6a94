package dev.htmlize.engine;

import dev.htmlize.engine.markup.Markup;
import dev.htmlize.engine.markup.MarkdownMarkup;
import dev.htmlize.engine.markup.TextMarkup;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The markup of a source, by its extension: {@code .txt} is the article's text format, anything else the includes
 * match is Markdown. Each markup is made on first use, so a build with nothing to render loads none of their classes.
 * Thread-safe.
 */
final class MarkupRegistry {
  private static final String MARKDOWN = "markdown";
  private static final Map<String, String> BY_EXTENSION = Map.of("txt", "text", "md", MARKDOWN, MARKDOWN, MARKDOWN);
  private static final Map<String, Supplier<Markup>> FACTORIES = Map.of("text", TextMarkup::new,
      MARKDOWN, MarkdownMarkup::new);

  private final Map<String, Markup> made = new ConcurrentHashMap<>();

  /** The markup of a source path. */
  Markup of(String source) {
    int dot = source.lastIndexOf('.');
    int slash = source.lastIndexOf('/');
    String extension = dot > slash ? source.substring(dot + 1).toLowerCase(Locale.ROOT) : "";
    String name = BY_EXTENSION.getOrDefault(extension, MARKDOWN);
    return made.computeIfAbsent(name, n -> FACTORIES.get(n).get());
  }
}
