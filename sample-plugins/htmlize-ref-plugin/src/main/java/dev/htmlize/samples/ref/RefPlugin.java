package dev.htmlize.samples.ref;

import dev.htmlize.plugin.Html;
import dev.htmlize.plugin.Htmlizer;
import dev.htmlize.plugin.HtmlizerPlugin;
import dev.htmlize.plugin.Post;
import dev.htmlize.plugin.RoleException;
import dev.htmlize.plugin.RoleOccurrence;
import dev.htmlize.plugin.Site;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Cross-references between pages, through the host's {@link Site}: {@code :ref:`docs/guide.md`} becomes a link to
 * that page's output, with its title as the text; {@code :ref:`the guide <docs/guide.md>`} sets the text, and a
 * {@code #fragment} after the path is kept. A path is looked up relative to the referring page's directory, then
 * from the source root ({@code /docs/guide.md} means the root only). A page that does not exist is an error naming
 * the referring page's line.
 */
public final class RefPlugin implements Htmlizer {
  private static final Pattern WITH_TEXT = Pattern.compile("(?s)(.*?)\\s*<([^<>]+)>\\s*");

  private volatile Site site = Site.unavailable();
  private volatile Map<String, Post> pages;

  public static void main(String[] args) {
    HtmlizerPlugin.serve(args, new RefPlugin());
  }

  @Override
  public List<String> hooks() {
    return List.of("role:ref");
  }

  @Override
  public void configure(Map<String, String> properties, Site site) {
    synchronized (this) {
      this.site = site;
      this.pages = null; // Another render (the next module of the build): its own site.
    }
  }

  @Override
  public List<String> processRoles(Post post, List<RoleOccurrence> roles) {
    Map<String, Post> all = pages();
    List<String> html = new ArrayList<>(roles.size());
    for (RoleOccurrence role : roles) {
      html.add(link(post, role, all));
    }
    return html;
  }

  @Override
  public String processRole(String role, String value, Post post) {
    return link(post, new RoleOccurrence(role, value, 0), pages());
  }

  /** The site's pages by source path, asked for once per render: the site does not change during one. */
  private Map<String, Post> pages() {
    Map<String, Post> known = pages;
    if (known == null) {
      synchronized (this) {
        known = pages;
        if (known == null) {
          known = site.pages().stream().collect(Collectors.toUnmodifiableMap(Post::sourcePath, Function.identity()));
          pages = known;
        }
      }
    }
    return known;
  }

  private static String link(Post from, RoleOccurrence role, Map<String, Post> pages) {
    String value = role.value().strip();
    String text = null;
    Matcher withText = WITH_TEXT.matcher(value);
    if (withText.matches()) {
      text = withText.group(1).strip();
      value = withText.group(2).strip();
    }
    String fragment = "";
    int hash = value.indexOf('#');
    if (hash >= 0) {
      fragment = value.substring(hash);
      value = value.substring(0, hash);
    }
    if (value.isEmpty()) {
      throw new RoleException(role, "empty page reference in :ref:`" + role.value() + "`");
    }
    Optional<Post> found = resolve(from, value, pages);
    if (found.isEmpty()) {
      throw new RoleException(role, "unknown page \"" + role.value().strip() + "\" in :ref: (no source " + value
          + " in the site)");
    }
    Post target = found.get();
    String label = text == null || text.isEmpty() ? target.title() : text;
    return "<a class=\"ref\" href=\"" + Html.escape(relative(from.outputPath(), target.outputPath()) + fragment)
        + "\">" + Html.escape(label) + "</a>";
  }

  private static Optional<Post> resolve(Post from, String path, Map<String, Post> pages) {
    if (path.startsWith("/")) {
      return Optional.ofNullable(pages.get(normalize(path.substring(1))));
    }
    String directory = from.sourcePath().contains("/")
        ? from.sourcePath().substring(0, from.sourcePath().lastIndexOf('/') + 1) : "";
    Post near = pages.get(normalize(directory + path));
    return near != null ? Optional.of(near) : Optional.ofNullable(pages.get(normalize(path)));
  }

  /** Resolves {@code .} and {@code ..} segments; a path that climbs above the root stays unresolvable. */
  static String normalize(String path) {
    List<String> parts = new ArrayList<>();
    for (String part : path.split("/")) {
      if (part.isEmpty() || part.equals(".")) {
        continue;
      }
      if (part.equals("..")) {
        if (parts.isEmpty()) {
          return "../" + path;
        }
        parts.remove(parts.size() - 1);
      } else {
        parts.add(part);
      }
    }
    return String.join("/", parts);
  }

  /** The link from one output page to another, relative, so that the site works from any base address. */
  static String relative(String from, String to) {
    String[] source = from.split("/");
    String[] target = to.split("/");
    int common = 0;
    while (common < source.length - 1 && common < target.length - 1 && source[common].equals(target[common])) {
      common++;
    }
    StringBuilder out = new StringBuilder();
    for (int i = common; i < source.length - 1; i++) {
      out.append("../");
    }
    for (int i = common; i < target.length; i++) {
      out.append(target[i]);
      if (i < target.length - 1) {
        out.append('/');
      }
    }
    return out.toString();
  }
}
