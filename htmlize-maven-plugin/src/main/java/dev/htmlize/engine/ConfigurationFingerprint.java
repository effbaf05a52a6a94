package dev.htmlize.engine;

import dev.htmlize.goplugin.Sha256;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * A digest of everything besides the sources that a page's bytes depend on: the engine's release, the output
 * directory, encoding, default author, failOnUnknownRole, inheritEnvironment, the caller's own fingerprint (the Maven
 * plugin's version), the site's title, address and language, drafts, the feed's size, the layout (a template by its
 * content) and every file of the layout directory, reattached plugins, and every plugin (what runs, its
 * properties and environment). When it changes, every page renders again.
 */
final class ConfigurationFingerprint {
  /** Bumped when the engine's output for the same input changes, so that every page renders again. */
  private static final String ENGINE_RELEASE = "htmlize-engine-2";

  private ConfigurationFingerprint() {
  }

  /**
   * @throws RenderException if the layout template is missing or cannot be read
   */
  static String of(RenderRequest request) throws RenderException {
    StringBuilder text = new StringBuilder(ENGINE_RELEASE).append('\n')
        .append(request.outputDirectory()).append('\n')
        .append(request.encoding().name()).append('\n')
        .append(request.defaultAuthor()).append('\n')
        .append(request.failOnUnknownRole()).append('\n')
        .append(request.inheritEnvironment()).append('\n')
        .append(request.configurationFingerprint()).append('\n')
        .append("site ").append(request.siteTitle()).append('\0').append(request.siteUrl()).append('\0')
        .append(request.language()).append('\0').append(request.drafts()).append('\0').append(request.feedSize())
        .append('\n');
    appendLayoutDirectory(text, request.layoutDirectory());
    if (request.layout() instanceof Layout.Template t) {
      if (!Files.isRegularFile(t.file())) {
        throw new RenderException(List.of(new Problem(t.file().toString(), 0, "the layout template does not exist; "
            + "set layout to default, none, or the path of a Mustache template")));
      }
      try {
        text.append("layout ").append(t.file()).append(' ').append(Sha256.hex(t.file())).append('\n');
        // Its partials are the templates beside it.
        try (Stream<Path> beside = Files.list(t.file().getParent())) {
          for (Path partial : beside.filter(f -> f.toString().endsWith(".mustache") && Files.isRegularFile(f))
              .sorted().toList()) {
            text.append("partial ").append(partial.getFileName()).append(' ').append(Sha256.hex(partial))
                .append('\n');
          }
        }
      } catch (IOException e) {
        throw new RenderException(List.of(new Problem(t.file().toString(), 0,
            "cannot read the layout template: " + e.getMessage())));
      }
    } else {
      text.append("layout ").append(request.layout()).append('\n');
    }
    request.reattach().forEach((name, running) -> text.append("reattach ").append(name).append(' ')
        .append(running.toJson()).append('\n'));
    for (PluginSpec plugin : request.plugins()) {
      text.append("plugin ").append(plugin.name()).append(' ').append(plugin.fingerprint()).append(' ')
          .append(new TreeMap<>(plugin.properties())).append(' ').append(new TreeMap<>(plugin.environment()))
          .append('\n');
    }
    return Sha256.hex(text.toString());
  }

  /** Every file of the layout directory (templates and the partials they include), by name and content. */
  private static void appendLayoutDirectory(StringBuilder text, Path directory) throws RenderException {
    if (!Files.isDirectory(directory)) {
      return;
    }
    try (Stream<Path> files = Files.walk(directory.toRealPath())) {
      Path real = directory.toRealPath();
      for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
        text.append("layouts ").append(real.relativize(file)).append(' ').append(Sha256.hex(file))
            .append('\n');
      }
    } catch (IOException | java.io.UncheckedIOException e) {
      throw new RenderException(List.of(new Problem(directory.toString(), 0,
          "cannot read the layout directory: " + e.getMessage())));
    }
  }
}
