package dev.htmlize.engine;

import com.github.mustachejava.DefaultMustacheFactory;
import com.github.mustachejava.MustacheException;
import dev.htmlize.plugin.Post;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Which layout each page renders with: the one its front matter names ({@code layout: NAME} for
 * {@code NAME.mustache} in the layout directory, or {@code default} or {@code none}), else the build's {@code layout}.
 * Templates of the layout directory include each other as partials ({@code {{> nav}}}); each is compiled once, when a
 * page first names it. Thread-safe.
 */
final class Layouts {
  private final RenderRequest request;
  private final LayoutRenderer fallback;
  private final Map<String, Result> named = new ConcurrentHashMap<>();
  private volatile LayoutRenderer theme;

  /** A layout, or why a page cannot have it. */
  private record Result(LayoutRenderer layout, String problem) {
  }

  private Layouts(RenderRequest request, LayoutRenderer fallback) {
    this.request = request;
    this.fallback = fallback;
  }

  /**
   * @throws RenderException if the build's layout is a template that cannot be read
   */
  static Layouts of(RenderRequest request) throws RenderException {
    Layout layout = request.layout();
    LayoutRenderer fallback = layout instanceof Layout.None ? LayoutRenderer.none()
        : layout instanceof Layout.Template t ? LayoutRenderer.template(t.file()) : null;
    return new Layouts(request, fallback);
  }

  /** The name a page's layout goes by: the one it names, else the build's ({@code default}, {@code none}, a path). */
  private String nameOf(Post post) {
    return PageMetadata.layout(post).orElse(null);
  }

  /** Whether the page renders with the built-in theme (and so needs its stylesheet). */
  boolean usesTheme(Post post) {
    String name = nameOf(post);
    return name == null ? request.layout() instanceof Layout.Default : name.equals("default");
  }

  /**
   * Whether a page with this layout could change when another page changes. Conservative: only a page of the
   * {@code none} layout reads nothing of the site.
   */
  boolean readsTheSite(Post post) {
    String name = nameOf(post);
    return name == null ? !(request.layout() instanceof Layout.None) : !name.equals("none");
  }

  /**
   * The page's layout; empty, with a problem at the page's {@code layout} line, when it names one that the layout
   * directory does not have or that cannot be compiled.
   */
  Optional<LayoutRenderer> of(ParsedPage page, Problems problems) {
    String name = nameOf(page.post());
    if (name == null) {
      return Optional.of(fallback != null ? fallback : theme());
    }
    if (name.equals("default")) {
      return Optional.of(theme());
    }
    if (name.equals("none")) {
      return Optional.of(LayoutRenderer.none());
    }
    Result result = named.computeIfAbsent(name, this::compile);
    if (result.problem() != null) {
      problems.add(new Problem(page.source(), page.lineOf(PageMetadata.LAYOUT), result.problem()));
      return Optional.empty();
    }
    return Optional.of(result.layout());
  }

  private LayoutRenderer theme() {
    LayoutRenderer built = theme;
    if (built == null) {
      built = LayoutRenderer.builtIn();
      theme = built;
    }
    return built;
  }

  private Result compile(String name) {
    Path directory = request.layoutDirectory();
    Path file = directory.resolve(name + ".mustache");
    if (!Files.isRegularFile(file)) {
      return new Result(null, "unknown layout " + name + ": there is no " + file.getFileName() + " in the layout "
          + "directory " + directory + available(directory) + "; default and none are built in");
    }
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      DefaultMustacheFactory factory = new DefaultMustacheFactory(directory.toFile());
      return new Result(LayoutRenderer.of(factory.compile(reader, file.getFileName().toString())), null);
    } catch (IOException | MustacheException | java.io.UncheckedIOException e) {
      return new Result(null, "layout " + name + " (" + file + ") cannot be used: " + e.getMessage());
    }
  }

  /** What the layout directory has, for the problem of an unknown layout. */
  private static String available(Path directory) {
    if (!Files.isDirectory(directory)) {
      return ", which does not exist";
    }
    try (Stream<Path> files = Files.list(directory)) {
      List<String> names = files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".mustache"))
          .map(n -> n.substring(0, n.length() - ".mustache".length())).sorted().toList();
      return names.isEmpty() ? ", which has no templates" : ", whose templates are " + String.join(", ", names);
    } catch (IOException e) {
      return "";
    }
  }
}
