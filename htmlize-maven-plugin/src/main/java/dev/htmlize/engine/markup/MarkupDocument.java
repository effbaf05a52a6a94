package dev.htmlize.engine.markup;

import dev.htmlize.plugin.RoleOccurrence;
import java.util.List;
import java.util.Optional;

/** A parsed page body: its role occurrences, and its HTML once they are rendered. Used by one thread. */
public interface MarkupDocument {
  /** The roles, in document order, with 1-based source lines. */
  List<RoleOccurrence> roles();

  /** The text of the page's first heading, for a page whose front matter has no title. */
  Optional<String> firstHeading();

  /**
   * The HTML body.
   *
   * @param roleHtml one entry per {@link #roles()} occurrence: its HTML, inserted as is, or {@code null} to leave
   *                 the role as written (no plugin handles it)
   */
  String render(List<String> roleHtml);
}
