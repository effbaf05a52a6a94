package dev.htmlize.engine;

import java.nio.file.Path;
import java.util.Objects;

/** How a page body becomes a file: a built-in page, the body alone, or the user's Mustache template. */
public sealed interface Layout {
  /** The built-in minimal HTML5 page: charset, title, the body. */
  record Default() implements Layout {
  }

  /** The body fragment alone, for pages that another template includes. */
  record None() implements Layout {
  }

  /** A Mustache template file; see the README for the names it can use. */
  record Template(Path file) implements Layout {
    public Template {
      Objects.requireNonNull(file);
    }
  }

  /** {@code default}, {@code none}, or a template path resolved against a base directory. */
  static Layout parse(String value, Path baseDirectory) {
    return switch (value.strip()) {
      case "", "default" -> new Default();
      case "none" -> new None();
      default -> new Template(baseDirectory.resolve(value.strip()).normalize());
    };
  }
}
