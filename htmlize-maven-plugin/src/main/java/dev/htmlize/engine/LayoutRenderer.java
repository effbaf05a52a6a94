package dev.htmlize.engine;

import com.github.mustachejava.DefaultMustacheFactory;
import com.github.mustachejava.Mustache;
import com.github.mustachejava.MustacheException;
import dev.htmlize.plugin.Post;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Puts a page body into a layout, with Mustache (mustache.java). A template sees the page ({@code title},
 * {@code author}, {@code date}, {@code tags}, {@code sourcePath}, {@code outputPath}, {@code section}, {@code weight},
 * {@code metadata.KEY}, {@code body}, to be written {@code {{{body}}}}: it is HTML), {@code root} (the relative path
 * from the page to the output directory, such as {@code ../}, for links to shared files), {@code language}, the site
 * ({@code site.title}, {@code site.url}, {@code site.feedUrl}, {@code site.pages}, {@code site.sections},
 * {@code site.tags}; see {@link TemplateSite}) and the page's {@code prev} and {@code next} in its section.
 * Thread-safe.
 */
final class LayoutRenderer {
  private static final String THEME = "default-layout.mustache";
  private final Mustache template;

  private LayoutRenderer(Mustache template) {
    this.template = template;
  }

  /** The body alone. */
  static LayoutRenderer none() {
    return new LayoutRenderer(null);
  }

  /** A compiled template. */
  static LayoutRenderer of(Mustache template) {
    return new LayoutRenderer(template);
  }

  /** The built-in theme, whose stylesheet is {@code htmlize.css} in the output directory. */
  static LayoutRenderer builtIn() {
    try (Reader reader = new InputStreamReader(LayoutRenderer.class.getResourceAsStream(THEME),
        StandardCharsets.UTF_8)) {
      return new LayoutRenderer(new DefaultMustacheFactory().compile(reader, "default-layout"));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * A template file; its partials ({@code {{> NAME}}}) are {@code NAME.mustache} in its directory.
   *
   * @throws RenderException if it does not exist or cannot be read or compiled, naming the file
   */
  static LayoutRenderer template(Path file) throws RenderException {
    if (!Files.isRegularFile(file)) {
      throw new RenderException(List.of(new Problem(file.toString(), 0,
          "the layout template does not exist; set layout to default, none, or the path of a Mustache template")));
    }
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      DefaultMustacheFactory factory = new DefaultMustacheFactory(file.getParent().toFile());
      return new LayoutRenderer(factory.compile(reader, file.getFileName().toString()));
    } catch (IOException | MustacheException | java.io.UncheckedIOException e) {
      throw new RenderException(List.of(new Problem(file.toString(), 0,
          "cannot read the layout template: " + e.getMessage())));
    }
  }

  String apply(String body, Post post, TemplateSite site, String language) {
    if (template == null) {
      return body;
    }
    TemplateSite.View view = site.view(post);
    Map<String, Object> scope = new HashMap<>();
    scope.put("title", post.title());
    scope.put("author", post.author().isEmpty() ? null : post.author());
    scope.put("date", post.date().isEmpty() ? null : post.date());
    scope.put("dateTime", PageMetadata.dateTime(post).map(t -> PageMetadata.dateOnly(post) ? post.date().strip()
        : t.toString()).orElse(null));
    scope.put("tags", post.tags());
    scope.put("sourcePath", post.sourcePath());
    scope.put("outputPath", post.outputPath());
    scope.put("section", TemplateSite.sectionOf(post));
    scope.put("weight", PageMetadata.weight(post).map(java.math.BigDecimal::toPlainString).orElse(null));
    scope.put("metadata", post.metadata());
    scope.put("root", TemplateSite.root(post));
    scope.put("language", language);
    scope.put("site", view);
    scope.put("prev", view.prev());
    scope.put("next", view.next());
    scope.put("body", body);
    StringWriter out = new StringWriter(body.length() + 2048);
    template.execute(out, scope);
    return out.toString();
  }
}
