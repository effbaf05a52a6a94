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
import java.util.Map;

/**
 * Puts a page body into its layout, with Mustache (mustache.java). A template sees {@code title}, {@code author},
 * {@code date}, {@code tags} (a list), {@code sourcePath}, {@code outputPath}, {@code root} (the relative path from
 * the page to the output directory, such as {@code ../}, for links to shared files), {@code metadata} (the other
 * front-matter keys, as {@code metadata.key}) and {@code body} (write it as {@code {{{body}}}}: it is HTML).
 * Thread-safe.
 */
final class LayoutRenderer {
  private final Mustache template;

  private LayoutRenderer(Mustache template) {
    this.template = template;
  }

  static LayoutRenderer of(Layout layout) throws RenderException {
    if (layout instanceof Layout.None) {
      return new LayoutRenderer(null);
    }
    if (layout instanceof Layout.Template t) {
      Path file = t.file();
      if (!Files.isRegularFile(file)) {
        throw new RenderException(java.util.List.of(new Problem(file.toString(), 0,
            "the layout template does not exist; set layout to default, none, or the path of a Mustache template")));
      }
      try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
        DefaultMustacheFactory factory = new DefaultMustacheFactory(file.getParent().toFile());
        return new LayoutRenderer(factory.compile(reader, file.getFileName().toString()));
      } catch (IOException | MustacheException e) {
        throw new RenderException(java.util.List.of(new Problem(file.toString(), 0,
            "cannot read the layout template: " + e.getMessage())));
      }
    }
    try (Reader reader = new InputStreamReader(LayoutRenderer.class.getResourceAsStream("default-layout.mustache"),
        StandardCharsets.UTF_8)) {
      return new LayoutRenderer(new DefaultMustacheFactory().compile(reader, "default-layout"));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  String apply(String body, Post post) {
    if (template == null) {
      return body;
    }
    Map<String, Object> scope = new HashMap<>();
    scope.put("title", post.title());
    scope.put("author", post.author());
    scope.put("date", post.date());
    scope.put("tags", post.tags());
    scope.put("sourcePath", post.sourcePath());
    scope.put("outputPath", post.outputPath());
    scope.put("metadata", post.metadata());
    scope.put("root", "../".repeat((int) post.outputPath().chars().filter(c -> c == '/').count()));
    scope.put("body", body);
    StringWriter out = new StringWriter(body.length() + 512);
    template.execute(out, scope);
    return out.toString();
  }
}
