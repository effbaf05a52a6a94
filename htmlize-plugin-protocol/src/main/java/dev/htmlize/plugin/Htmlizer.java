package dev.htmlize.plugin;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What an htmlize plugin implements: the article's interface, made efficient. A plugin says which hooks it wants in
 * {@link #hooks()}; the host then calls it only for those.
 *
 * <p>Implementations are called concurrently from several threads and must be thread-safe.
 */
public interface Htmlizer {
  /**
   * The hooks this plugin wants: {@code "contents"} to get each page's whole HTML body in
   * {@link #processContents}, and {@code "role:NAME"} for each role {@code :NAME:`value`} it renders in
   * {@link #processRole}. Role names are letters, digits and underscores.
   */
  List<String> hooks();

  /**
   * Called before any page of a render, with the plugin's {@code <properties>} from the build: again for each render
   * the process serves (the modules of one build, say), never during one. Default: nothing.
   */
  default void configure(Map<String, String> properties) {
  }

  /**
   * Called before any page of a render, with the plugin's {@code <properties>} and the {@link Site} (every page of
   * the site, for plugins that link or list pages): again for each render the process serves (the modules of one
   * build, each its own site), never during one; what the plugin derived from the last site, it derives again.
   * Default: {@link #configure(Map)}.
   */
  default void configure(Map<String, String> properties, Site site) {
    configure(properties);
  }

  /**
   * Renders one role occurrence to HTML, which the host inserts as is: escape what should not be markup (see
   * {@link Html#escape}). Called for the roles named in {@link #hooks()}. Throw a {@link RoleException} for a value
   * the page's author must fix: the build reports it at the occurrence's line.
   *
   * @param role  the role's name, without colons
   * @param value the text between the backticks, as written
   * @param post  the page it is on
   */
  default String processRole(String role, String value, Post post) {
    throw new IllegalStateException(getClass().getName() + " registers the role " + role
        + " but does not override processRole");
  }

  /**
   * Renders all of a page's occurrences of this plugin's roles, in order: one call per page (the host sends pages in
   * batches, and {@link HtmlizerService} calls this for each page of a batch).
   * Default: {@link #processRole} for each. Override it to share work across a page's roles.
   *
   * @return one HTML string per occurrence, in the same order
   */
  default List<String> processRoles(Post post, List<RoleOccurrence> roles) {
    List<String> html = new ArrayList<>(roles.size());
    for (RoleOccurrence occurrence : roles) {
      try {
        html.add(processRole(occurrence.role(), occurrence.value(), post));
      } catch (RoleException e) {
        if (e.occurrence().isPresent()) {
          throw e;
        }
        throw new RoleException(occurrence, e.getMessage(), e);
      } catch (RuntimeException e) {
        throw new RoleException(occurrence, e.getClass().getSimpleName()
            + (e.getMessage() == null ? "" : ": " + e.getMessage()), e);
      }
    }
    return html;
  }

  /**
   * Transforms a page's whole HTML body, after its roles are rendered. Called when {@link #hooks()} has
   * {@code "contents"}; contents plugins run in the order the build declares them, each on the previous one's
   * output. Default: the body unchanged.
   */
  default String processContents(String html, Post post) {
    return html;
  }
}
